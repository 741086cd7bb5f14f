using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Mattermost;

/// <summary>Source-generated log messages of the Mattermost plugin (event ids 5500–5549). Never logs tokens.</summary>
internal static partial class MattermostLog
{
    [LoggerMessage(EventId = 5500, Level = LogLevel.Warning, Message = "Mattermost {Api} failed: HTTP {Status} {Error}")]
    public static partial void CallFailed(ILogger logger, string api, int status, SafeLogString error);

    [LoggerMessage(EventId = 5501, Level = LogLevel.Information, Message = "Mattermost bot {Username} ({UserId}) connected")]
    public static partial void Connected(ILogger logger, SafeLogString username, SafeLogString userId);

    [LoggerMessage(EventId = 5510, Level = LogLevel.Warning, Message = "Mattermost webhook rejected: {Reason}")]
    public static partial void WebhookRejected(ILogger logger, SafeLogString reason);

    [LoggerMessage(EventId = 5511, Level = LogLevel.Debug, Message = "Mattermost post {PostId} ignored: {Reason}")]
    public static partial void PostIgnored(ILogger logger, SafeLogString postId, SafeLogString reason);

    [LoggerMessage(EventId = 5520, Level = LogLevel.Warning, Message = "Mattermost send of delivery {DeliveryId} failed ({Outcome}): {Error}")]
    public static partial void SendFailed(ILogger logger, string deliveryId, string outcome, SafeLogString error);

    [LoggerMessage(EventId = 5521, Level = LogLevel.Debug, Message = "Mattermost refused root_id {RootId} (not a thread root); posting under its root {ThreadRoot}")]
    public static partial void ThreadRootResolved(ILogger logger, SafeLogString rootId, SafeLogString threadRoot);
}
