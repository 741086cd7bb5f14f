using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Discord;

/// <summary>Source-generated log messages of the Discord plugin (event ids 4200–4299). Never log tokens or webhook URLs.</summary>
internal static partial class DiscordLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Debug, Message = "Discord {Route} answered {Status}")]
    public static partial void CallSucceeded(ILogger logger, string route, int status);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Discord {Route} failed: {Status} (code {Code}) {Description}")]
    public static partial void CallFailed(ILogger logger, string route, int status, int? code, string? description);

    [LoggerMessage(EventId = 4210, Level = LogLevel.Information, Message = "Discord bot {BotUserId} connected to the Gateway (session resumed: {Resumed})")]
    public static partial void GatewayReady(ILogger logger, string? botUserId, bool resumed);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Information, Message = "Discord Gateway connection ended ({Why}); next: {Next}")]
    public static partial void GatewayReconnect(ILogger logger, string why, string next);

    [LoggerMessage(EventId = 4212, Level = LogLevel.Warning, Message = "Discord Gateway heartbeat not acknowledged (zombie connection); reconnecting to resume")]
    public static partial void Zombie(ILogger logger);

    [LoggerMessage(EventId = 4213, Level = LogLevel.Error, Message = "Discord Gateway stopped: {Error}")]
    public static partial void GatewayStopped(ILogger logger, string error);

    [LoggerMessage(EventId = 4214, Level = LogLevel.Warning, Message = "Discord Gateway connection failed; retrying in {DelayMs:0} ms")]
    public static partial void GatewayConnectFailed(ILogger logger, double delayMs, Exception? exception);

    [LoggerMessage(EventId = 4215, Level = LogLevel.Warning, Message = "Discord message {MessageId} was not accepted by the kernel; resuming so that Discord replays it")]
    public static partial void SinkFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(EventId = 4216, Level = LogLevel.Debug, Message = "Discord message {MessageId} ignored: {Reason}")]
    public static partial void MessageIgnored(ILogger logger, string messageId, string reason);

    [LoggerMessage(EventId = 4220, Level = LogLevel.Warning, Message = "Discord interaction rejected: {Reason}")]
    public static partial void InteractionRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 4221, Level = LogLevel.Debug, Message = "Discord interaction {InteractionId} of type {Type} answered without a message: {Reason}")]
    public static partial void InteractionIgnored(ILogger logger, string interactionId, int type, string reason);

    [LoggerMessage(EventId = 4230, Level = LogLevel.Warning, Message = "Discord send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, string outcome, string? error);

    [LoggerMessage(EventId = 4231, Level = LogLevel.Information, Message = "Discord interaction webhook expired for delivery {DeliveryId}; posting to the channel instead")]
    public static partial void InteractionExpired(ILogger logger, string deliveryId);

    [LoggerMessage(EventId = 4240, Level = LogLevel.Error, Message = "Discord channel cannot connect: {Error}")]
    public static partial void ConnectFailed(ILogger logger, string error);
}
