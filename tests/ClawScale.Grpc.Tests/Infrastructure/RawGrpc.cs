using System.Buffers.Binary;
using System.Net.Http.Headers;
using ClawScale.Grpc;
using Google.Protobuf;

namespace ClawScale.Grpc.Tests.Infrastructure;

/// <summary>Builds raw gRPC frames and sends raw HTTP/2 requests, to check the wire format directly.</summary>
public static class RawGrpc
{
    public static byte[] Frame(ReadOnlySpan<byte> payload, bool compressedFlag = false)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressedFlag ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    public static byte[] GzipFrame(IMessage message) => Frame(GrpcGzip.Compress(message.ToByteArray()), compressedFlag: true);

    public static async Task<RawResponse> SendAsync(HttpClient client, string path, byte[] body, string contentType = "application/grpc", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(body),
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new RawResponse(
            (int)response.StatusCode,
            response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            response.TrailingHeaders.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            bytes);
    }
}

public sealed record RawResponse(int HttpStatus, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Trailers, byte[] Body)
{
    /// <summary>grpc-status from trailers, or from headers for a trailers-only response.</summary>
    public string? GrpcStatus => Trailers.TryGetValue("grpc-status", out var t) ? t : Headers.GetValueOrDefault("grpc-status");

    public string? GrpcMessage => Trailers.TryGetValue("grpc-message", out var t) ? GrpcPercentEncoding.Decode(t) : Headers.TryGetValue("grpc-message", out var h) ? GrpcPercentEncoding.Decode(h) : null;
}
