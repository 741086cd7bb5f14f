using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.Discord.Tests.Support;

/// <summary>An ACCEPT stage that records batches and can be told to throw on its first calls.</summary>
public sealed class RecordingSink : IInboundSink
{
    private readonly object _gate = new();
    private readonly List<IReadOnlyList<InboundMessage>> _batches = [];
    private int _failuresLeft;

    public RecordingSink(int failFirstCalls = 0) => _failuresLeft = failFirstCalls;

    /// <summary>Every batch handed to the sink, including those it threw on.</summary>
    public IReadOnlyList<IReadOnlyList<InboundMessage>> Batches
    {
        get
        {
            lock (_gate)
                return _batches.ToArray();
        }
    }

    public ValueTask AcceptAsync(IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _batches.Add(messages);
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                throw new InvalidOperationException("database unavailable (test)");
            }
        }

        return ValueTask.CompletedTask;
    }
}
