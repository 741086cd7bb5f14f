namespace ClawScale.Plugins.Discord.Model;

/// <summary>A Discord user ("User Object"), the fields this plugin uses.</summary>
public sealed record DiscordUser
{
    /// <summary>The user's snowflake id.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The user's unique username.</summary>
    public string? Username { get; init; }

    /// <summary>The user's display name, if set.</summary>
    public string? GlobalName { get; init; }

    /// <summary>Whether the user is a bot (absent means false).</summary>
    public bool? Bot { get; init; }
}
