namespace ClawScale.Plugins.Discord.Model;

/// <summary>
/// A message ("Message Object"), as dispatched by MESSAGE_CREATE (with the extra <c>guild_id</c> and <c>member</c>
/// fields) and as returned by "Create Message".
/// </summary>
public sealed record DiscordMessage
{
    /// <summary>The message id.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The channel (or thread) id.</summary>
    public string ChannelId { get; init; } = string.Empty;

    /// <summary>The guild id; absent for direct messages.</summary>
    public string? GuildId { get; init; }

    /// <summary>The author (for webhook messages a fake user; see <see cref="WebhookId"/>).</summary>
    public DiscordUser? Author { get; init; }

    /// <summary>The author's guild member data (nickname), in guild messages.</summary>
    public GuildMember? Member { get; init; }

    /// <summary>The text; empty without the MESSAGE_CONTENT intent unless the bot is mentioned or in a DM.</summary>
    public string? Content { get; init; }

    /// <summary>When the message was sent (ISO 8601).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The users specifically mentioned.</summary>
    public IReadOnlyList<DiscordUser>? Mentions { get; init; }

    /// <summary>Attached files.</summary>
    public IReadOnlyList<DiscordAttachment>? Attachments { get; init; }

    /// <summary>The message type ("Message Types"): 0 DEFAULT, 19 REPLY, others are system messages.</summary>
    public int Type { get; init; }

    /// <summary>Set when a webhook sent the message.</summary>
    public string? WebhookId { get; init; }

    /// <summary>The message this one replies to, when it is a reply (type 19).</summary>
    public DiscordMessage? ReferencedMessage { get; init; }
}
