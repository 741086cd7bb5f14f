using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.WeChat;

/// <summary>Source-generated log messages of the WeChat plugin (event ids 5450–5499). Never logs secrets, tokens or URLs.</summary>
internal static partial class WeChatLog
{
    [LoggerMessage(EventId = 5450, Level = LogLevel.Warning, Message = "WeChat {Api} failed: {Error}")]
    public static partial void CallFailed(ILogger logger, string api, SafeLogString error);

    [LoggerMessage(EventId = 5451, Level = LogLevel.Information, Message = "WeChat access token refused ({ErrCode}); fetching a new one")]
    public static partial void TokenRefused(ILogger logger, int errCode);

    [LoggerMessage(EventId = 5452, Level = LogLevel.Information, Message = "WeChat Official Account {AppId} connected (access token fetched, {Mode} mode)")]
    public static partial void Connected(ILogger logger, SafeLogString appId, string mode);

    [LoggerMessage(EventId = 5460, Level = LogLevel.Warning, Message = "WeChat callback rejected: {Reason}")]
    public static partial void CallbackRejected(ILogger logger, SafeLogString reason);

    [LoggerMessage(EventId = 5461, Level = LogLevel.Debug, Message = "WeChat callback {MsgId} ignored: {Reason}")]
    public static partial void CallbackIgnored(ILogger logger, SafeLogString msgId, SafeLogString reason);

    [LoggerMessage(EventId = 5462, Level = LogLevel.Information, Message = "WeChat server URL verified")]
    public static partial void UrlVerified(ILogger logger);

    [LoggerMessage(EventId = 5470, Level = LogLevel.Warning, Message = "WeChat send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, string outcome, SafeLogString error);
}
