using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;

namespace ClawScale.Testing;

/// <summary>An ACCEPT stage that records batches, can throw on its first calls, and can be held until released.</summary>
public sealed class RecordingSink : IInboundSink
{
    private readonly object _gate = new();
    private readonly List<IReadOnlyList<InboundMessage>> _batches = [];
    private readonly List<IReadOnlyList<InboundMessage>> _accepted = [];
    private int _failuresLeft;
    private TaskCompletionSource? _hold;

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

    /// <summary>The messages the sink returned normally for (stored), in order.</summary>
    public IReadOnlyList<InboundMessage> Accepted
    {
        get
        {
            lock (_gate)
                return _accepted.SelectMany(b => b).ToArray();
        }
    }

    /// <summary>From now on, calls wait until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
            _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Lets the held calls (and later ones) go on.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _hold?.TrySetResult();
            _hold = null;
        }
    }

    public async ValueTask AcceptAsync(IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
    {
        Task? hold;
        lock (_gate)
        {
            _batches.Add(messages);
            hold = _hold?.Task;
        }

        if (hold is not null)
            await hold.WaitAsync(cancellationToken);

        lock (_gate)
        {
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                throw new InvalidOperationException("database unavailable (test)");
            }

            _accepted.Add(messages);
        }
    }
}
