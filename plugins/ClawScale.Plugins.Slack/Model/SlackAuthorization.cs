namespace ClawScale.Plugins.Slack.Model;

/// <summary>One entry of an event_callback's <c>authorizations</c> (Slack docs "Events API: authorizations").</summary>
public sealed record SlackAuthorization
{
    /// <summary>The workspace id.</summary>
    public string? TeamId { get; init; }

    /// <summary>The installing user: for a bot token installation, the bot's user id.</summary>
    public string? UserId { get; init; }

    /// <summary>Whether <see cref="UserId"/> is a bot user.</summary>
    public bool? IsBot { get; init; }
}
