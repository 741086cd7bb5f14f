using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Signal;

/// <summary>Source-generated log messages of the Signal plugin (event ids 5700–5749). Never log the token.</summary>
internal static partial class SignalLog
{
    [LoggerMessage(EventId = 5700, Level = LogLevel.Debug, Message = "signal-cli-rest-api {Route} answered {Status}")]
    public static partial void CallSucceeded(ILogger logger, string route, int status);

    [LoggerMessage(EventId = 5701, Level = LogLevel.Warning, Message = "signal-cli-rest-api {Route} failed ({Status}): {Error}")]
    public static partial void CallFailed(ILogger logger, string route, int status, SafeLogString error);

    [LoggerMessage(EventId = 5710, Level = LogLevel.Information, Message = "Signal channel connected: signal-cli-rest-api {Version} in {ServerMode} mode, receiving by {Mode}")]
    public static partial void Connected(ILogger logger, SafeLogString version, SafeLogString serverMode, SignalReceiveMode mode);

    [LoggerMessage(EventId = 5711, Level = LogLevel.Error, Message = "Signal channel cannot connect: {Error}")]
    public static partial void ConnectFailed(ILogger logger, SafeLogString error);

    [LoggerMessage(EventId = 5720, Level = LogLevel.Information, Message = "Signal listener started ({Mode})")]
    public static partial void ListenerStarted(ILogger logger, SignalReceiveMode mode);

    [LoggerMessage(EventId = 5721, Level = LogLevel.Warning, Message = "Signal receive failed ({Status}): {Error}; retrying in {DelayMs:0} ms")]
    public static partial void ReceiveRetry(ILogger logger, int status, SafeLogString error, double delayMs);

    [LoggerMessage(EventId = 5722, Level = LogLevel.Warning, Message = "{Count} received Signal messages were not accepted by the kernel; retrying them in {DelayMs:0} ms (signal-cli has already removed them from the server)")]
    public static partial void SinkFailed(ILogger logger, int count, double delayMs, Exception exception);

    [LoggerMessage(EventId = 5723, Level = LogLevel.Error, Message = "Signal listener stopped: {Error}")]
    public static partial void ListenerStopped(ILogger logger, SafeLogString error);

    [LoggerMessage(EventId = 5724, Level = LogLevel.Debug, Message = "Signal envelope {Timestamp} ignored: {Reason}")]
    public static partial void EnvelopeIgnored(ILogger logger, long timestamp, string reason);

    [LoggerMessage(EventId = 5725, Level = LogLevel.Warning, Message = "A Signal receive item is not signal-cli JSON and was skipped: {Error}")]
    public static partial void MalformedItem(ILogger logger, SafeLogString error);

    [LoggerMessage(EventId = 5730, Level = LogLevel.Warning, Message = "Signal send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, string outcome, SafeLogString error);
}
