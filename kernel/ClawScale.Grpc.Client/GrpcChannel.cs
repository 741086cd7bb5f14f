using ClawScale.Grpc.Client.Internal;
using Grpc.Core;

namespace ClawScale.Grpc.Client;

/// <summary>
/// A gRPC channel over <see cref="HttpClient"/>: HTTP/2 only (<c>http://</c> is h2c with prior knowledge,
/// <c>https://</c> is TLS with ALPN), calls per the gRPC over HTTP/2 protocol spec. Use it with generated
/// clients: <c>new Foo.FooClient(channel)</c>. Thread-safe; create one per server and reuse it.
/// </summary>
public sealed class GrpcChannel : ChannelBase, IDisposable
{
    private readonly bool _disposeHttpClient;
    private int _disposed;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
        : base(address.Authority)
    {
        Address = address;
        Options = options;
        if (options.HttpClient is { } client)
        {
            HttpClient = client;
            _disposeHttpClient = options.DisposeHttpClient;
        }
        else
        {
            var handler = options.HttpHandler ?? new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            };
            HttpClient = new HttpClient(handler, disposeHandler: options.HttpHandler is null || options.DisposeHttpClient)
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
            _disposeHttpClient = true;
        }
    }

    /// <summary>The server address (scheme, host, port).</summary>
    public Uri Address { get; }

    internal GrpcChannelOptions Options { get; }

    internal HttpClient HttpClient { get; }

    /// <summary>Creates a channel for <paramref name="address"/> (e.g. <c>http://127.0.0.1:5001</c>).</summary>
    /// <exception cref="ArgumentException">The address is not an absolute http/https URI.</exception>
    public static GrpcChannel ForAddress(string address) => ForAddress(new Uri(address, UriKind.Absolute), null);

    /// <summary>Creates a channel for <paramref name="address"/> with options.</summary>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options) => ForAddress(new Uri(address, UriKind.Absolute), options);

    /// <summary>Creates a channel for <paramref name="address"/>.</summary>
    public static GrpcChannel ForAddress(Uri address) => ForAddress(address, null);

    /// <summary>Creates a channel for <paramref name="address"/> with options.</summary>
    /// <exception cref="ArgumentException">The address is not an absolute http/https URI, or the compression algorithm is not supported.</exception>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Address '{address}' must be an absolute http:// (h2c) or https:// URI.", nameof(address));
        }

        options ??= new GrpcChannelOptions();
        if (options.RequestCompressionAlgorithm is { } algorithm && algorithm != GrpcProtocol.GzipEncoding && algorithm != GrpcProtocol.IdentityEncoding)
        {
            throw new ArgumentException($"Compression algorithm '{algorithm}' is not supported; use 'gzip' or null.", nameof(options));
        }

        return new GrpcChannel(new Uri(address.GetLeftPart(UriPartial.Authority) + "/"), options);
    }

    /// <inheritdoc />
    public override CallInvoker CreateCallInvoker()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        return new HttpClientCallInvoker(this);
    }

    /// <summary>Disposes the HttpClient when the channel created it or <see cref="GrpcChannelOptions.DisposeHttpClient"/> is set.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _disposeHttpClient)
        {
            HttpClient.Dispose();
        }
    }

    /// <inheritdoc />
    protected override Task ShutdownAsyncCore()
    {
        Dispose();
        return Task.CompletedTask;
    }
}
