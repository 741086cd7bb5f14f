namespace ClawScale.Plugins.Discord.Model;

/// <summary>A partial guild member ("Guild Member Object"): the nickname, and the user in interactions.</summary>
public sealed record GuildMember
{
    /// <summary>The user (set in interactions, absent in MESSAGE_CREATE's member).</summary>
    public DiscordUser? User { get; init; }

    /// <summary>The user's nickname in the guild, if set.</summary>
    public string? Nick { get; init; }
}
