namespace ClawScale.Kernel.Tests.BadInput;

/// <summary>The answer to a hand-built gRPC call.</summary>
internal sealed record RawGrpcResponse(int HttpStatus, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Trailers, byte[] Body)
{
    /// <summary><c>grpc-status</c> from the trailers, or from the headers of a trailers-only answer.</summary>
    public string? GrpcStatus => Trailers.TryGetValue("grpc-status", out var t) ? t : Headers.GetValueOrDefault("grpc-status");

    /// <summary>The percent-decoded <c>grpc-message</c> (gRPC over HTTP/2, Responses), or null.</summary>
    public string? GrpcMessage =>
        Trailers.TryGetValue("grpc-message", out var t) ? Uri.UnescapeDataString(t)
        : Headers.TryGetValue("grpc-message", out var h) ? Uri.UnescapeDataString(h) : null;

    public override string ToString() => $"HTTP {HttpStatus}, grpc-status {GrpcStatus ?? "none"}, grpc-message '{GrpcMessage}', {Body.Length} body bytes";
}
