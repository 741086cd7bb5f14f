namespace ClawScale.Plugins.Signal;

/// <summary>Which group messages are answered (config <c>group_replies</c>).</summary>
public enum SignalGroupReplies
{
    /// <summary><c>mention</c> (default): only messages that mention the bot (<c>dataMessage.mentions</c>).</summary>
    Mention = 0,

    /// <summary><c>all</c>: every text message in the bot's groups.</summary>
    All = 1,
}
