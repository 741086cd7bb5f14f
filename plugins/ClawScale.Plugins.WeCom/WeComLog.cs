using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.WeCom;

/// <summary>Source-generated log messages of the WeCom plugin (event ids 5400–5449). Never logs secrets, tokens or URLs.</summary>
internal static partial class WeComLog
{
    [LoggerMessage(EventId = 5400, Level = LogLevel.Warning, Message = "WeCom {Api} failed: {Error}")]
    public static partial void CallFailed(ILogger logger, string api, SafeLogString error);

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "WeCom access token refused ({ErrCode}); fetching a new one")]
    public static partial void TokenRefused(ILogger logger, int errCode);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Information, Message = "WeCom app {AgentId} of corp {CorpId} connected (access token fetched)")]
    public static partial void Connected(ILogger logger, long agentId, SafeLogString corpId);

    [LoggerMessage(EventId = 5410, Level = LogLevel.Warning, Message = "WeCom callback rejected: {Reason}")]
    public static partial void CallbackRejected(ILogger logger, SafeLogString reason);

    [LoggerMessage(EventId = 5411, Level = LogLevel.Debug, Message = "WeCom callback {MsgId} ignored: {Reason}")]
    public static partial void CallbackIgnored(ILogger logger, SafeLogString msgId, SafeLogString reason);

    [LoggerMessage(EventId = 5412, Level = LogLevel.Information, Message = "WeCom callback URL verified")]
    public static partial void UrlVerified(ILogger logger);

    [LoggerMessage(EventId = 5420, Level = LogLevel.Warning, Message = "WeCom send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, string outcome, SafeLogString error);

    [LoggerMessage(EventId = 5421, Level = LogLevel.Debug, Message = "WeCom send of delivery {DeliveryId} held back: member over {Limit} messages per minute, next slot in {DelayMs:0} ms")]
    public static partial void MemberLimited(ILogger logger, string deliveryId, int limit, double delayMs);
}
