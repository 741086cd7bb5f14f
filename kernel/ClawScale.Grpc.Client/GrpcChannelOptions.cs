namespace ClawScale.Grpc.Client;

/// <summary>Options of a <see cref="GrpcChannel"/>; mirrors grpc-dotnet's <c>GrpcChannelOptions</c> (subset).</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>
    /// The handler to send calls with. Default: a <see cref="SocketsHttpHandler"/> with
    /// <c>EnableMultipleHttp2Connections = true</c> (Kestrel allows 100 concurrent streams per connection).
    /// Ignored when <see cref="HttpClient"/> is set.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>An HttpClient to send calls with; its <c>Timeout</c> should be infinite (deadlines are per call).</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Whether disposing the channel disposes <see cref="HttpClient"/> / <see cref="HttpHandler"/> given here. Default <c>false</c>.</summary>
    public bool DisposeHttpClient { get; set; }

    /// <summary>
    /// The largest response message accepted in bytes (before and after decompression); larger ones fail the call
    /// with RESOURCE_EXHAUSTED (8). Default 4 MiB; <c>null</c> means no limit.
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>
    /// The largest request message sent in bytes (uncompressed); a larger one fails the call with
    /// RESOURCE_EXHAUSTED (8) before anything is sent. Default <c>null</c> (no limit).
    /// </summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// Compression for request messages of every call: <c>null</c> (none, the default) or <c>"gzip"</c>. A call
    /// overrides it with the <c>grpc-internal-encoding-request</c> metadata entry (as in grpc-dotnet).
    /// </summary>
    public string? RequestCompressionAlgorithm { get; set; }
}
