using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace ClawScale.Kernel.Tests.BadInput;

/// <summary>
/// One HTTP/2 prior-knowledge (h2c) connection to the kernel's gRPC port for hand-built gRPC requests, counting the
/// TCP connections it opens so a test can tell that a later call reused the same connection.
/// </summary>
internal sealed class RawGrpcConnection : IDisposable
{
    private readonly HttpClient _client;
    private int _connections;

    public RawGrpcConnection(Uri address)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                Interlocked.Increment(ref _connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        // A bound, not a wait: a call the kernel never answers fails the test instead of hanging it.
        _client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>TCP connections opened so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Size of a Length-Prefixed-Message header: the compressed flag and the 4-byte length.</summary>
    public const int MessageHeaderSize = 5;

    /// <summary>A gRPC message frame: compressed flag, 4-byte big-endian length, payload (gRPC over HTTP/2, Length-Prefixed-Message).</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, byte flag = 0, uint? announcedLength = null)
    {
        var frame = new byte[MessageHeaderSize + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), announcedLength ?? (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(MessageHeaderSize));
        return frame;
    }

    /// <summary>The gzip (RFC 1952) form of <paramref name="payload"/>, as a <c>grpc-encoding: gzip</c> message carries it.</summary>
    public static byte[] Gzip(byte[] payload)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(payload);
        }

        return output.ToArray();
    }

    /// <summary>POSTs <paramref name="content"/> to <paramref name="path"/> as a gRPC call and reads the whole answer.</summary>
    public async Task<RawGrpcResponse> SendAsync(string path, HttpContent content, string? authorization, string contentType = "application/grpc", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("authorization", "Bearer " + authorization);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        return new RawGrpcResponse(
            (int)response.StatusCode,
            response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            response.TrailingHeaders.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            body);
    }

    public void Dispose() => _client.Dispose();
}
