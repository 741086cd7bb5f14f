using System.IO.Compression;

namespace ClawScale.Grpc.AspNetCore;

/// <summary>
/// Options of the gRPC server layer, set through <see cref="GrpcServiceCollectionExtensions.AddGrpcServer"/>.
/// Mirrors the options of grpc-dotnet's <c>GrpcServiceOptions</c>.
/// </summary>
public sealed class GrpcServerOptions
{
    /// <summary>
    /// The largest request message accepted, in bytes (before and after decompression); larger messages end the
    /// call with RESOURCE_EXHAUSTED (8). Default 4 MiB; <c>null</c> means no limit.
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>
    /// The largest response message sent, in bytes (uncompressed); a larger message ends the call with
    /// RESOURCE_EXHAUSTED (8). Default <c>null</c> (no limit).
    /// </summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// When <c>true</c>, the type and message of an exception thrown by a handler are sent in <c>grpc-message</c>
    /// with status UNKNOWN (2). Default <c>false</c>: only "Exception was thrown by handler." is sent.
    /// </summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>
    /// Compression for response messages: <c>null</c> (none, the default) or <c>"gzip"</c>. Applied only when the
    /// client lists the algorithm in <c>grpc-accept-encoding</c> (gRPC compression spec).
    /// </summary>
    public string? ResponseCompressionAlgorithm { get; set; }

    /// <summary>The gzip level used for response messages. Default <see cref="CompressionLevel.Fastest"/>.</summary>
    public CompressionLevel ResponseCompressionLevel { get; set; } = CompressionLevel.Fastest;

    /// <summary>
    /// Server interceptors by type, outermost first; each is resolved from the request's DI scope per call
    /// (or created with its constructor dependencies when not registered). An interceptor registered as a singleton
    /// is resolved once and shared by every call.
    /// </summary>
    public InterceptorCollection Interceptors { get; } = [];

    /// <summary>
    /// When <c>true</c>, calls to unknown services or methods are not answered with UNIMPLEMENTED (12) but left to
    /// the rest of the application (usually a 404). Default <c>false</c>.
    /// </summary>
    public bool IgnoreUnknownServices { get; set; }
}
