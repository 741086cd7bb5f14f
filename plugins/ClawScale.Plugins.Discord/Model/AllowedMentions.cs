namespace ClawScale.Plugins.Discord.Model;

/// <summary>
/// "Allowed Mentions Structure". The plugin sends <c>parse: []</c> and <c>replied_user: false</c>, so an agent's text
/// never pings @everyone, roles or users, and replies do not ping their author.
/// </summary>
public sealed record AllowedMentions
{
    /// <summary>Mention types to parse from the content (empty: none).</summary>
    public IReadOnlyList<string> Parse { get; init; } = [];

    /// <summary>Whether a reply pings the author of the referenced message.</summary>
    public bool RepliedUser { get; init; }
}
