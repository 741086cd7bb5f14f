using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.OpenAI;

/// <summary>Log messages of the openai plugin (event ids 1–99).</summary>
internal static partial class OpenAiLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Turn {TurnId}: asking model {Model} with {MessageCount} message(s), stream {Stream}")]
    public static partial void Requesting(ILogger logger, string turnId, string model, int messageCount, bool stream);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Turn {TurnId}: answer of {Characters} characters in {Parts} message(s), finish_reason {FinishReason}")]
    public static partial void Answered(ILogger logger, string turnId, int characters, int parts, string finishReason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Turn {TurnId}: model {Model} stopped at max_tokens; the answer is truncated")]
    public static partial void Truncated(ILogger logger, string turnId, string model);
}
