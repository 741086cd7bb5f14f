using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Shared;

/// <summary>Log messages of the shared provider helpers (event ids 100–199).</summary>
internal static partial class SharedLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "{Provider} answered HTTP {Status}; retrying once in {DelayMs} ms")]
    public static partial void RetryingAfterError(ILogger logger, string provider, int status, long delayMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "{Provider} call failed: {Detail}")]
    public static partial void ProviderFailed(ILogger logger, string provider, string detail);
}
