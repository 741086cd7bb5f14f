using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.ChannelTemplate;

/// <summary>Source-generated log messages of the plugin, with stable event ids. Never log tokens, secrets or signatures.</summary>
internal static partial class ContosoLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Webhook call rejected with {StatusCode}: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Webhook event {EventId} accepted for chat {ChatId}")]
    public static partial void WebhookAccepted(ILogger logger, string eventId, string chatId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, string outcome, string? error);
}
