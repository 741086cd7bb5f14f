using ClawScale.Plugins.Channels;

namespace ClawScale.Testing;

/// <summary>Records status reports.</summary>
public sealed class RecordingStatusSink : IChannelStatusSink
{
    private readonly object _gate = new();
    private readonly List<string> _errors = [];
    private int _connected;

    public int ConnectedReports => Volatile.Read(ref _connected);

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
                return _errors.ToArray();
        }
    }

    public ValueTask ReportConnectedAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _connected);
        return ValueTask.CompletedTask;
    }

    public ValueTask ReportErrorAsync(string error, CancellationToken cancellationToken)
    {
        lock (_gate)
            _errors.Add(error);
        return ValueTask.CompletedTask;
    }
}
