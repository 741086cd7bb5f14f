using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Anthropic;

/// <summary>Log messages of the anthropic plugin (event ids 1–99).</summary>
internal static partial class AnthropicLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Turn {TurnId}: asking model {Model} with {MessageCount} message(s), stream {Stream}")]
    public static partial void Requesting(ILogger logger, string turnId, string model, int messageCount, bool stream);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Turn {TurnId}: answer of {Characters} characters in {Parts} message(s), stop_reason {StopReason}")]
    public static partial void Answered(ILogger logger, string turnId, int characters, int parts, string stopReason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Turn {TurnId}: model {Model} stopped at max_tokens; the answer is truncated")]
    public static partial void Truncated(ILogger logger, string turnId, string model);
}
