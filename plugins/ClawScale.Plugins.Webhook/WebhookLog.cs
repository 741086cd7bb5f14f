using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Webhook;

/// <summary>Source-generated log messages of the webhook plugin (event ids 4700–4799). Never log secrets or signatures.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 4700, Level = LogLevel.Warning, Message = "Webhook call rejected with {StatusCode}: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 4701, Level = LogLevel.Debug, Message = "Webhook message {MessageId} accepted for chat {ChatId}")]
    public static partial void WebhookAccepted(ILogger logger, string messageId, string chatId);

    [LoggerMessage(EventId = 4710, Level = LogLevel.Debug, Message = "Callback for delivery {DeliveryId} answered {StatusCode} in {ElapsedMs:0} ms")]
    public static partial void CallbackAnswered(ILogger logger, string deliveryId, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 4711, Level = LogLevel.Warning, Message = "Callback for delivery {DeliveryId} failed: {Error}")]
    public static partial void CallbackFailed(ILogger logger, string deliveryId, string error);

    [LoggerMessage(EventId = 4720, Level = LogLevel.Warning, Message = "Webhook send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, string outcome, string? error);
}
