using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.WhatsApp;

/// <summary>Source-generated log messages of the WhatsApp plugin (event ids 5200–5249). Never log tokens or secrets. Rejected webhooks, failed calls and sends are Debug here: the kernel logs each once with the reason (webhook event 2202, delivery events 3002/3003, channel connect failures, event 2502).</summary>
internal static partial class WhatsAppLog
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Debug, Message = "WhatsApp Graph API {Method} failed: HTTP {Status}, error code {Code}")]
    public static partial void CallFailed(ILogger logger, string method, int status, int? code);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "WhatsApp webhook rejected with {Status}: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, int status, SafeLogString reason);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "WhatsApp webhook verification answered (hub.mode=subscribe)")]
    public static partial void VerificationAnswered(ILogger logger);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Debug, Message = "WhatsApp webhook change ignored: {Reason}")]
    public static partial void ChangeIgnored(ILogger logger, SafeLogString reason);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Information, Message = "WhatsApp business number {PhoneNumberId} ({DisplayNumber}) reachable with the access token")]
    public static partial void Connected(ILogger logger, string phoneNumberId, SafeLogString displayNumber);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Debug, Message = "WhatsApp channel cannot work: {Error}")]
    public static partial void ChannelError(ILogger logger, SafeLogString error);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Debug, Message = "WhatsApp send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, ClawScale.Plugins.Channels.SendOutcome outcome, SafeLogString error);
}
