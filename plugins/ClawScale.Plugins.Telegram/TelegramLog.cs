using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Telegram;

/// <summary>Source-generated log messages of the Telegram plugin (event ids 4100–4199). Never log tokens or URLs.</summary>
internal static partial class TelegramLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "Bot API {Method} succeeded in {ElapsedMs:0} ms")]
    public static partial void CallSucceeded(ILogger logger, string method, double elapsedMs);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Bot API {Method} failed: {ErrorCode} {Description}")]
    public static partial void CallFailed(ILogger logger, string method, int errorCode, string description);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "Telegram bot @{Username} (id {BotId}) connected in {Mode} mode")]
    public static partial void Connected(ILogger logger, string? username, long botId, TelegramMode mode);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Error, Message = "Telegram channel cannot connect: {Error}")]
    public static partial void ConnectFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "Telegram webhook deleted")]
    public static partial void WebhookDeleted(ILogger logger);

    [LoggerMessage(EventId = 4120, Level = LogLevel.Warning, Message = "Telegram webhook rejected: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Debug, Message = "Telegram update {UpdateId} ignored: {Reason}")]
    public static partial void UpdateIgnored(ILogger logger, long updateId, string reason);

    [LoggerMessage(EventId = 4130, Level = LogLevel.Information, Message = "Telegram polling started (timeout {TimeoutSeconds} s)")]
    public static partial void PollingStarted(ILogger logger, int timeoutSeconds);

    [LoggerMessage(EventId = 4131, Level = LogLevel.Warning, Message = "Telegram polling failed ({ErrorCode}: {Description}); retrying in {DelayMs:0} ms")]
    public static partial void PollingRetry(ILogger logger, int errorCode, string? description, double delayMs);

    [LoggerMessage(EventId = 4132, Level = LogLevel.Warning, Message = "Telegram updates up to {UpdateId} were not accepted by the kernel; they will be fetched again")]
    public static partial void SinkFailed(ILogger logger, long updateId, Exception exception);

    [LoggerMessage(EventId = 4133, Level = LogLevel.Error, Message = "Telegram polling stopped: {Error}")]
    public static partial void PollingStopped(ILogger logger, string error);

    [LoggerMessage(EventId = 4140, Level = LogLevel.Warning, Message = "Telegram send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, string outcome, string? error);
}
