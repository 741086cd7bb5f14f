using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Channels.WebChat;

/// <summary>The web chat channel's log messages (event ids 7100–7199).</summary>
internal static partial class WebChatLog
{
    [LoggerMessage(EventId = 7100, Level = LogLevel.Debug, Message = "Web chat channel {ChannelId}: reply pushed to {Connections} open page(s)")]
    public static partial void Pushed(ILogger logger, string channelId, int connections);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Web chat channel {ChannelId}: accepted message {ProviderMessageId} (duplicate: {Duplicate})")]
    public static partial void Accepted(ILogger logger, string channelId, SafeLogString providerMessageId, bool duplicate);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Web chat request for channel {ChannelId} refused with {StatusCode}: {Reason}")]
    public static partial void Refused(ILogger logger, SafeLogString channelId, int statusCode, SafeLogString reason);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Debug, Message = "Web chat channel {ChannelId}: event stream opened ({Connections} open for this visitor)")]
    public static partial void StreamOpened(ILogger logger, string channelId, int connections);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Debug, Message = "Web chat channel {ChannelId}: event stream closed")]
    public static partial void StreamClosed(ILogger logger, string channelId);
}
