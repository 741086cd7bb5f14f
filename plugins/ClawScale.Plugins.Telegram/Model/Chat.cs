namespace ClawScale.Plugins.Telegram.Model;

/// <summary>A chat (Bot API "Chat").</summary>
public sealed record Chat
{
    /// <summary>The chat's identifier; up to 52 significant bits, negative for groups ("id").</summary>
    public long Id { get; init; }

    /// <summary>"private", "group", "supergroup" or "channel" ("type").</summary>
    public required string Type { get; init; }

    /// <summary>The title of groups, supergroups and channels ("title").</summary>
    public string? Title { get; init; }

    /// <summary>The username of private chats, supergroups and channels ("username").</summary>
    public string? Username { get; init; }

    /// <summary>True when the supergroup is a forum with topics enabled ("is_forum").</summary>
    public bool? IsForum { get; init; }
}
