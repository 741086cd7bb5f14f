namespace ClawScale.Plugins.Teams.Model;

/// <summary>
/// An entry of an Activity's <c>entities</c>. For <c>type</c> <c>mention</c> (REST API reference "Mention object"):
/// <c>mentioned</c> is the account and <c>text</c> the markup in the message text, for example <c>&lt;at&gt;Bot&lt;/at&gt;</c>.
/// </summary>
public sealed record ActivityEntity
{
    /// <summary><c>mention</c>, <c>clientInfo</c>, ….</summary>
    public string? Type { get; init; }

    /// <summary>For mentions: who is mentioned.</summary>
    public ChannelAccount? Mentioned { get; init; }

    /// <summary>For mentions: the mention's text within the message text.</summary>
    public string? Text { get; init; }
}
