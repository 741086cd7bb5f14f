using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Evolution;

/// <summary>Source-generated log messages of the Evolution plugin (event ids 5250–5299). Never log keys or tokens.</summary>
internal static partial class EvolutionLog
{
    [LoggerMessage(EventId = 5250, Level = LogLevel.Warning, Message = "Evolution API {Api} failed: HTTP {Status} {Error}")]
    public static partial void CallFailed(ILogger logger, string api, int status, SafeLogString error);

    [LoggerMessage(EventId = 5251, Level = LogLevel.Warning, Message = "Evolution webhook rejected with {Status}: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, int status, SafeLogString reason);

    [LoggerMessage(EventId = 5252, Level = LogLevel.Debug, Message = "Evolution event {Event} ignored: {Reason}")]
    public static partial void EventIgnored(ILogger logger, SafeLogString @event, SafeLogString reason);

    [LoggerMessage(EventId = 5253, Level = LogLevel.Information, Message = "Evolution instance {Instance} is connected to WhatsApp")]
    public static partial void Connected(ILogger logger, SafeLogString instance);

    [LoggerMessage(EventId = 5254, Level = LogLevel.Error, Message = "Evolution channel cannot work: {Error}")]
    public static partial void ChannelError(ILogger logger, SafeLogString error);

    [LoggerMessage(EventId = 5255, Level = LogLevel.Warning, Message = "Evolution send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, string outcome, SafeLogString error);
}
