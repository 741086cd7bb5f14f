using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Evolution;

/// <summary>Source-generated log messages of the Evolution plugin (event ids 5250–5299). Never log keys or tokens. Rejected webhooks, failed calls and sends are Debug here: the kernel logs each once with the reason (webhook event 2202, delivery events 3002/3003, channel connect failures, event 2502).</summary>
internal static partial class EvolutionLog
{
    [LoggerMessage(EventId = 5250, Level = LogLevel.Debug, Message = "Evolution API {Api} failed: HTTP {Status} {Error}")]
    public static partial void CallFailed(ILogger logger, string api, int status, SafeLogString error);

    [LoggerMessage(EventId = 5251, Level = LogLevel.Debug, Message = "Evolution webhook rejected with {Status}: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, int status, SafeLogString reason);

    [LoggerMessage(EventId = 5252, Level = LogLevel.Debug, Message = "Evolution event {Event} ignored: {Reason}")]
    public static partial void EventIgnored(ILogger logger, SafeLogString @event, SafeLogString reason);

    [LoggerMessage(EventId = 5253, Level = LogLevel.Information, Message = "Evolution instance {Instance} is connected to WhatsApp")]
    public static partial void Connected(ILogger logger, SafeLogString instance);

    [LoggerMessage(EventId = 5254, Level = LogLevel.Debug, Message = "Evolution channel cannot work: {Error}")]
    public static partial void ChannelError(ILogger logger, SafeLogString error);

    [LoggerMessage(EventId = 5255, Level = LogLevel.Debug, Message = "Evolution send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, ClawScale.Plugins.Channels.SendOutcome outcome, SafeLogString error);
}
