using System.Threading.Channels;

namespace ClawScale.Kernel.Channels.WebChat;

/// <summary>One open event stream of a visitor: a bounded queue of messages the stream writer drains.</summary>
internal sealed class WebChatConnection : IDisposable
{
    // A page that stops reading loses its oldest pushes, never the kernel's memory; it reloads history on reconnect.
    private readonly Channel<WebChatMessage> _queue = Channel.CreateBounded<WebChatMessage>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly WebChatHub _hub;

    internal WebChatConnection(WebChatHub hub, (string ChannelId, string VisitorId) key)
    {
        _hub = hub;
        Key = key;
    }

    internal (string ChannelId, string VisitorId) Key { get; }

    /// <summary>The messages to write to the stream, in order.</summary>
    public ChannelReader<WebChatMessage> Messages => _queue.Reader;

    internal void Enqueue(WebChatMessage message) => _queue.Writer.TryWrite(message);

    /// <summary>Removes the stream from the hub.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _hub.Remove(this);
    }
}
