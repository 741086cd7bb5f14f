using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Tests.Infrastructure;

/// <summary>Records every log entry of the host so a test can fail on errors it did not expect.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    public IReadOnlyList<string> Errors(Func<string, bool>? expected = null) =>
        Entries.Where(e => e.Level >= LogLevel.Error && !(expected?.Invoke(e.Message) ?? false))
            .Select(e => $"[{e.Category}] {e.Message} {e.Exception}")
            .ToList();

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) provider.Entries.Enqueue((logLevel, category, eventId, formatter(state, exception), exception));
        }
    }
}
