namespace ClawScale.Plugins.Slack.Model;

/// <summary>
/// The inner event of an event_callback: the fields of the <c>message</c> and <c>app_mention</c> event types that
/// the plugin uses (Slack docs "message event", "app_mention event").
/// </summary>
public sealed record SlackEvent
{
    /// <summary><c>message</c>, <c>app_mention</c>, …</summary>
    public string? Type { get; init; }

    /// <summary>The message subtype (<c>bot_message</c>, <c>message_changed</c>, <c>file_share</c>, …), absent for plain messages.</summary>
    public string? Subtype { get; init; }

    /// <summary>The conversation id: <c>C…</c> public channel, <c>G…</c> private channel or group DM, <c>D…</c> direct message.</summary>
    public string? Channel { get; init; }

    /// <summary><c>im</c>, <c>mpim</c>, <c>channel</c> or <c>group</c> (message events only).</summary>
    public string? ChannelType { get; init; }

    /// <summary>The author's user id.</summary>
    public string? User { get; init; }

    /// <summary>The text in Slack mrkdwn (mentions as <c>&lt;@U…&gt;</c>).</summary>
    public string? Text { get; init; }

    /// <summary>The message's timestamp id, <c>"1355517523.000005"</c>: unique per channel.</summary>
    public string? Ts { get; init; }

    /// <summary>The parent message's ts when the message is in a thread.</summary>
    public string? ThreadTs { get; init; }

    /// <summary>The event's timestamp.</summary>
    public string? EventTs { get; init; }

    /// <summary>Set when a bot (integration) posted the message.</summary>
    public string? BotId { get; init; }

    /// <summary>The author's workspace id.</summary>
    public string? Team { get; init; }

    /// <summary>Files shared with the message (subtype <c>file_share</c>).</summary>
    public IReadOnlyList<SlackFile>? Files { get; init; }
}
