namespace ClawScale.Plugins.Line.Model;

/// <summary>The body of <c>POST /v2/bot/message/push</c> (reference "Send push message"): at most 5 messages.</summary>
public sealed record LinePushRequest
{
    /// <summary>The user, group or room id.</summary>
    public required string To { get; init; }

    /// <summary>The messages.</summary>
    public required IReadOnlyList<LineTextMessage> Messages { get; init; }
}
