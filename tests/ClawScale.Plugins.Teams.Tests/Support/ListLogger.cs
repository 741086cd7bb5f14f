using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Teams.Tests.Support;

/// <summary>A logger that keeps every formatted message (to check that no secret is logged).</summary>
public sealed class ListLogger : ILogger
{
    private readonly object _gate = new();
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
                return _lines.ToArray();
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
            _lines.Add($"{logLevel} {eventId.Id} {formatter(state, exception)} {exception}");
    }
}
