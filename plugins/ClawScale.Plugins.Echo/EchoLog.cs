using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Echo;

/// <summary>Log messages of the echo plugin (event ids 1–99).</summary>
internal static partial class EchoLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Echoing turn {TurnId} as {ReplyCount} reply message(s)")]
    public static partial void Echoing(ILogger logger, string turnId, int replyCount);
}
