using System.Net;

namespace ClawScale.Kernel.Tests.BadInput;

/// <summary>A request body that sends <paramref name="head"/> and then stays open until <paramref name="release"/> completes.</summary>
internal sealed class HeldOpenContent(byte[] head, Task release) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(head);
        await stream.FlushAsync();
        await release;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
