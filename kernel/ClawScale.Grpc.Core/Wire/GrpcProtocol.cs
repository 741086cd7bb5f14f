namespace ClawScale.Grpc;

/// <summary>Names and constants of the gRPC over HTTP/2 protocol spec (PROTOCOL-HTTP2.md) and the compression spec.</summary>
public static class GrpcProtocol
{
    /// <summary>The gRPC content type, <c>application/grpc</c> (may carry a suffix such as <c>+proto</c>).</summary>
    public const string ContentType = "application/grpc";

    /// <summary>The length of a message frame header: 1 compressed-flag byte + 4-byte big-endian length.</summary>
    public const int MessageHeaderSize = 5;

    /// <summary>The status trailer (decimal status code).</summary>
    public const string StatusHeader = "grpc-status";

    /// <summary>The status message trailer (percent-encoded UTF-8).</summary>
    public const string MessageHeader = "grpc-message";

    /// <summary>The timeout header (e.g. <c>100m</c>).</summary>
    public const string TimeoutHeader = "grpc-timeout";

    /// <summary>The message encoding header of a request or response.</summary>
    public const string EncodingHeader = "grpc-encoding";

    /// <summary>The encodings a peer accepts.</summary>
    public const string AcceptEncodingHeader = "grpc-accept-encoding";

    /// <summary>Metadata key a client call uses to ask for request compression (as grpc-dotnet does); never sent.</summary>
    public const string CompressionRequestAlgorithmHeader = "grpc-internal-encoding-request";

    /// <summary>The identity (no compression) encoding.</summary>
    public const string IdentityEncoding = "identity";

    /// <summary>The gzip encoding, the only compression supported here.</summary>
    public const string GzipEncoding = "gzip";

    /// <summary>The <c>grpc-accept-encoding</c> value this implementation sends.</summary>
    public const string SupportedEncodings = "identity,gzip";

    /// <summary>The default maximum received message size: 4 MiB.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>Whether <paramref name="contentType"/> is <c>application/grpc</c> or <c>application/grpc+…</c>/<c>;…</c>.</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (contentType.Length == ContentType.Length)
        {
            return true;
        }

        var next = contentType[ContentType.Length];
        return next is '+' or ';';
    }

    /// <summary>
    /// Whether a header name is reserved by the protocol or HTTP/2 and so is not call metadata: pseudo-headers,
    /// content-type, te, host, content-length, connection headers and the protocol's own grpc-* headers
    /// (status, message, timeout, encodings). Other grpc-* keys such as <c>grpc-status-details-bin</c> (the rich
    /// error model) are metadata.
    /// </summary>
    public static bool IsReservedHeader(string name) =>
        name.StartsWith(':')
        || name.Equals(StatusHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(MessageHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(TimeoutHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(EncodingHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(AcceptEncodingHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(CompressionRequestAlgorithmHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("te", StringComparison.OrdinalIgnoreCase)
        || name.Equals("host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("accept-encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase);
}
