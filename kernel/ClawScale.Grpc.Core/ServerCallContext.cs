namespace Grpc.Core;

/// <summary>
/// The context of a server call, given to every service method: method name, peer, deadline, request headers,
/// cancellation, response trailers and status. Shaped like Grpc.Core.Api's abstract class: the public members
/// forward to protected abstract <c>*Core</c> members that the server layer implements.
/// </summary>
public abstract class ServerCallContext
{
    private Dictionary<object, object>? _userState;

    /// <summary>Creates a context.</summary>
    protected ServerCallContext()
    {
    }

    /// <summary>Sends the response headers now; may be called at most once, before the first message.</summary>
    /// <param name="responseHeaders">The headers to send.</param>
    /// <exception cref="InvalidOperationException">Headers were already sent.</exception>
    public Task WriteResponseHeadersAsync(Metadata responseHeaders) => WriteResponseHeadersAsyncCore(responseHeaders);

    /// <summary>The method path, e.g. <c>/clawscale.v1.AdminService/CreateTenant</c>.</summary>
    public string Method => MethodCore;

    /// <summary>The host the call was sent to (HTTP/2 <c>:authority</c>).</summary>
    public string Host => HostCore;

    /// <summary>The peer address, e.g. <c>ipv4:127.0.0.1:50123</c>.</summary>
    public string Peer => PeerCore;

    /// <summary>The deadline (UTC) from <c>grpc-timeout</c>; <see cref="DateTime.MaxValue"/> when none.</summary>
    public DateTime Deadline => DeadlineCore;

    /// <summary>The request headers (binary <c>-bin</c> values decoded from base64).</summary>
    public Metadata RequestHeaders => RequestHeadersCore;

    /// <summary>Cancelled when the client cancels, the deadline passes or the connection ends.</summary>
    public CancellationToken CancellationToken => CancellationTokenCore;

    /// <summary>Trailers sent with the status at the end of the call.</summary>
    public Metadata ResponseTrailers => ResponseTrailersCore;

    /// <summary>The status sent when the handler returns normally (default OK).</summary>
    public Status Status
    {
        get => StatusCore;
        set => StatusCore = value;
    }

    /// <summary>Write options for response messages.</summary>
    public WriteOptions? WriteOptions
    {
        get => WriteOptionsCore;
        set => WriteOptionsCore = value;
    }

    /// <summary>A per-call dictionary for interceptors and handlers.</summary>
    public IDictionary<object, object> UserState => UserStateCore;

    /// <summary>Implements <see cref="WriteResponseHeadersAsync"/>.</summary>
    protected abstract Task WriteResponseHeadersAsyncCore(Metadata responseHeaders);

    /// <summary>Implements <see cref="Method"/>.</summary>
    protected abstract string MethodCore { get; }

    /// <summary>Implements <see cref="Host"/>.</summary>
    protected abstract string HostCore { get; }

    /// <summary>Implements <see cref="Peer"/>.</summary>
    protected abstract string PeerCore { get; }

    /// <summary>Implements <see cref="Deadline"/>.</summary>
    protected abstract DateTime DeadlineCore { get; }

    /// <summary>Implements <see cref="RequestHeaders"/>.</summary>
    protected abstract Metadata RequestHeadersCore { get; }

    /// <summary>Implements <see cref="CancellationToken"/>.</summary>
    protected abstract CancellationToken CancellationTokenCore { get; }

    /// <summary>Implements <see cref="ResponseTrailers"/>.</summary>
    protected abstract Metadata ResponseTrailersCore { get; }

    /// <summary>Implements <see cref="Status"/>.</summary>
    protected abstract Status StatusCore { get; set; }

    /// <summary>Implements <see cref="WriteOptions"/>.</summary>
    protected abstract WriteOptions? WriteOptionsCore { get; set; }

    /// <summary>Implements <see cref="UserState"/>; the default is a lazily created dictionary.</summary>
    protected virtual IDictionary<object, object> UserStateCore => _userState ??= [];
}
