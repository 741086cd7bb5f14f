namespace ClawScale.Plugins.Telegram;

/// <summary>Who the bot is, for deciding whether a group message is addressed to it.</summary>
/// <param name="Id">The bot's user id: the digits before <c>:</c> in its token, confirmed by getMe.</param>
/// <param name="Username">The bot's username without <c>@</c> (config <c>bot_username</c> or getMe), or <see langword="null"/> while unknown.</param>
public sealed record TelegramBotIdentity(long Id, string? Username)
{
    /// <summary>Whether <paramref name="username"/> (with or without <c>@</c>) is the bot's, ignoring case.</summary>
    /// <param name="username">A username from a mention, command or user.</param>
    /// <returns>True when it is the bot's.</returns>
    public bool IsBotUsername(string? username) =>
        Username is not null && username is not null && string.Equals(username.TrimStart('@'), Username, StringComparison.OrdinalIgnoreCase);
}
