using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Slack;

/// <summary>Source-generated log messages of the Slack plugin (event ids 4200–4299). Never log tokens, secrets or URLs with tickets.</summary>
internal static partial class SlackLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Debug, Message = "Slack {Method} succeeded in {ElapsedMs:0} ms")]
    public static partial void CallSucceeded(ILogger logger, string method, double elapsedMs);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Slack {Method} failed: HTTP {Status} {Error}")]
    public static partial void CallFailed(ILogger logger, string method, int status, string? error);

    [LoggerMessage(EventId = 4210, Level = LogLevel.Information, Message = "Slack bot user {BotUserId} (team {TeamId}) connected in {Mode} mode")]
    public static partial void Connected(ILogger logger, string? botUserId, string? teamId, SlackMode mode);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Error, Message = "Slack channel cannot connect: {Error}")]
    public static partial void ConnectFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 4220, Level = LogLevel.Warning, Message = "Slack webhook rejected: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 4221, Level = LogLevel.Debug, Message = "Slack event {EventId} ignored: {Reason}")]
    public static partial void EventIgnored(ILogger logger, string? eventId, string reason);

    [LoggerMessage(EventId = 4222, Level = LogLevel.Debug, Message = "Slack event {EventId} is retry {RetryNum} ({RetryReason}); accepted again, the kernel deduplicates it")]
    public static partial void EventRetried(ILogger logger, string? eventId, string retryNum, string? retryReason);

    [LoggerMessage(EventId = 4230, Level = LogLevel.Information, Message = "Slack Socket Mode connected (hello received)")]
    public static partial void SocketHello(ILogger logger);

    [LoggerMessage(EventId = 4231, Level = LogLevel.Information, Message = "Slack Socket Mode disconnect requested ({Reason}); reconnecting")]
    public static partial void SocketDisconnectRequested(ILogger logger, string? reason);

    [LoggerMessage(EventId = 4232, Level = LogLevel.Warning, Message = "Slack Socket Mode connection silent for {WindowSeconds:0} s; reconnecting")]
    public static partial void SocketSilent(ILogger logger, double windowSeconds);

    [LoggerMessage(EventId = 4233, Level = LogLevel.Warning, Message = "Slack Socket Mode failed ({Error}); retrying in {DelayMs:0} ms")]
    public static partial void SocketRetry(ILogger logger, string? error, double delayMs);

    [LoggerMessage(EventId = 4234, Level = LogLevel.Warning, Message = "Slack envelope {EnvelopeId} was not accepted by the kernel and is not acknowledged; Slack will deliver it again")]
    public static partial void SinkFailed(ILogger logger, string? envelopeId, Exception exception);

    [LoggerMessage(EventId = 4235, Level = LogLevel.Error, Message = "Slack Socket Mode stopped: {Error}")]
    public static partial void SocketStopped(ILogger logger, string error);

    [LoggerMessage(EventId = 4236, Level = LogLevel.Debug, Message = "Slack envelope {EnvelopeId} of type {Type} acknowledged without processing")]
    public static partial void EnvelopeSkipped(ILogger logger, string? envelopeId, string? type);

    [LoggerMessage(EventId = 4240, Level = LogLevel.Warning, Message = "Slack send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, string outcome, string? error);
}
