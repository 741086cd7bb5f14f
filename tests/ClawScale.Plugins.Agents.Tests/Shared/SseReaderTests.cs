using System.Text;
using ClawScale.Plugins.Shared;
using Xunit;

namespace ClawScale.Plugins.Agents.Tests.Shared;

public sealed class SseReaderTests
{
    /// <summary>A stream that hands out at most <c>size</c> bytes per read, like a network trickling data.</summary>
    private sealed class TrickleStream(byte[] data, int size) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, size));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, size)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, size), cancellationToken);
    }

    private static async Task<List<SseEvent>> ReadAll(string text, int size)
    {
        var events = new List<SseEvent>();
        await foreach (var e in SseReader.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(text), size), CancellationToken.None))
        {
            events.Add(e);
        }

        return events;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Parses_events_split_at_any_byte(int size)
    {
        const string text = "\uFEFF: comment\r\nevent: message_start\r\ndata: {\"a\":\"héllo 👋\"}\r\n\r\n"
            + "data: line1\ndata:line2\n\n"
            + "event: ping\rdata: {}\r\r"
            + "id: 7\nretry: 10\n\n"
            + "data: [DONE]";

        var events = await ReadAll(text, size);

        Assert.Equal(
            [new SseEvent("message_start", "{\"a\":\"héllo 👋\"}"), new SseEvent(null, "line1\nline2"), new SseEvent("ping", "{}"), new SseEvent(null, "[DONE]")],
            events);
    }
}
