using System.Net;

namespace ClawScale.Kernel.Tests.BadInput;

/// <summary>A request body of unknown length, so HTTP/1.1 sends it with <c>Transfer-Encoding: chunked</c> (no Content-Length).</summary>
internal sealed class ChunkedContent(byte[] body) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < body.Length; offset += 16 * 1024)
        {
            await stream.WriteAsync(body.AsMemory(offset, Math.Min(16 * 1024, body.Length - offset)));
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
