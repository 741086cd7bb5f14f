using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Teams;

/// <summary>Source-generated log messages of the Teams plugin (event ids 5600–5699). Never log tokens, the app password or activity text.</summary>
internal static partial class TeamsLog
{
    [LoggerMessage(EventId = 5600, Level = LogLevel.Debug, Message = "Teams token acquired, valid for {LifetimeSeconds:0} s")]
    public static partial void TokenAcquired(ILogger logger, double lifetimeSeconds);

    [LoggerMessage(EventId = 5601, Level = LogLevel.Warning, Message = "Teams token request failed: HTTP {Status} {Error}")]
    public static partial void TokenFailed(ILogger logger, int status, SafeLogString error);

    [LoggerMessage(EventId = 5602, Level = LogLevel.Warning, Message = "Teams Bot Connector call failed: HTTP {Status} {ErrorCode}")]
    public static partial void ConnectorCallFailed(ILogger logger, int status, SafeLogString errorCode);

    [LoggerMessage(EventId = 5610, Level = LogLevel.Information, Message = "Teams bot {AppId} connected: the app credentials were accepted by the token endpoint")]
    public static partial void Connected(ILogger logger, string appId);

    [LoggerMessage(EventId = 5611, Level = LogLevel.Error, Message = "Teams channel cannot connect: {Error}")]
    public static partial void ConnectFailed(ILogger logger, SafeLogString error);

    [LoggerMessage(EventId = 5612, Level = LogLevel.Warning, Message = "Teams channel could not check its credentials yet ({Error}); it will try again when it sends")]
    public static partial void ConnectDeferred(ILogger logger, SafeLogString error);

    [LoggerMessage(EventId = 5620, Level = LogLevel.Debug, Message = "Teams activity refused with {Status}: {Reason}")]
    public static partial void ActivityRejected(ILogger logger, int status, SafeLogString reason);

    [LoggerMessage(EventId = 5621, Level = LogLevel.Debug, Message = "Teams activity {ActivityId} ignored: {Reason}")]
    public static partial void ActivityIgnored(ILogger logger, SafeLogString activityId, SafeLogString reason);

    [LoggerMessage(EventId = 5622, Level = LogLevel.Warning, Message = "Teams activity {ActivityId} accepted, but replies cannot be sent to it: {Problem}")]
    public static partial void ServiceUrlNotAllowed(ILogger logger, SafeLogString activityId, SafeLogString problem);

    [LoggerMessage(EventId = 5623, Level = LogLevel.Warning, Message = "Teams OpenID metadata or keys could not be fetched from {MetadataUrl}: {Error}; activities are answered 503 until it works")]
    public static partial void MetadataUnavailable(ILogger logger, SafeLogString metadataUrl, SafeLogString error);

    [LoggerMessage(EventId = 5630, Level = LogLevel.Warning, Message = "Teams send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, string outcome, SafeLogString error);
}
