using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Line;

/// <summary>Source-generated log messages of the LINE plugin (event ids 5300–5349). Never log tokens or secrets. Rejected webhooks, failed calls and sends are Debug here: the kernel logs each once with the reason (webhook event 2202, delivery events 3002/3003, channel connect failures, event 2502).</summary>
internal static partial class LineLog
{
    [LoggerMessage(EventId = 5300, Level = LogLevel.Debug, Message = "LINE {Api} failed: HTTP {Status} {Message}")]
    public static partial void CallFailed(ILogger logger, string api, int status, SafeLogString message);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Debug, Message = "LINE webhook rejected with {Status}: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, int status, SafeLogString reason);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Debug, Message = "LINE event {WebhookEventId} ignored: {Reason}")]
    public static partial void EventIgnored(ILogger logger, SafeLogString webhookEventId, SafeLogString reason);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Debug, Message = "LINE event {WebhookEventId} is a redelivery; accepted again (the kernel deduplicates it) and answered by push")]
    public static partial void Redelivered(ILogger logger, SafeLogString webhookEventId);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Information, Message = "LINE bot {BotUserId} ({DisplayName}) reachable with the channel access token")]
    public static partial void Connected(ILogger logger, SafeLogString botUserId, SafeLogString displayName);

    [LoggerMessage(EventId = 5305, Level = LogLevel.Debug, Message = "LINE channel cannot work: {Error}")]
    public static partial void ChannelError(ILogger logger, SafeLogString error);

    [LoggerMessage(EventId = 5306, Level = LogLevel.Debug, Message = "LINE send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, ClawScale.Plugins.Channels.SendOutcome outcome, SafeLogString error);

    [LoggerMessage(EventId = 5307, Level = LogLevel.Information, Message = "LINE reply token of delivery {DeliveryId} was refused ({Message}); sending by push instead")]
    public static partial void ReplyTokenRefused(ILogger logger, string deliveryId, SafeLogString message);
}
