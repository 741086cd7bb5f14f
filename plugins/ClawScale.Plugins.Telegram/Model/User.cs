namespace ClawScale.Plugins.Telegram.Model;

/// <summary>A Telegram user or bot (Bot API "User").</summary>
public sealed record User
{
    /// <summary>The user's identifier; up to 52 significant bits ("id").</summary>
    public long Id { get; init; }

    /// <summary>True for bots ("is_bot").</summary>
    public bool IsBot { get; init; }

    /// <summary>The user's or bot's first name ("first_name").</summary>
    public string FirstName { get; init; } = string.Empty;

    /// <summary>The user's or bot's last name ("last_name").</summary>
    public string? LastName { get; init; }

    /// <summary>The user's or bot's username, without <c>@</c> ("username").</summary>
    public string? Username { get; init; }

    /// <summary>The IETF language tag of the user's language ("language_code").</summary>
    public string? LanguageCode { get; init; }
}
