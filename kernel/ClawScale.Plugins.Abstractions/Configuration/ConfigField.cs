namespace ClawScale.Plugins.Configuration;

/// <summary>
/// One setting a channel or agent kind accepts, as its plugin declares it: what forms (the admin console's channel and
/// agent forms) and <c>AdminService.ListKinds</c>/<c>ListPlugins</c> show. A declaration only describes; the factory's
/// <c>Validate</c> stays the authority on what is accepted.
/// </summary>
/// <param name="Key">The exact, case-sensitive key in <c>config</c> (or in <c>credentials</c> when <see cref="Secret"/>), for example <c>bot_token</c>.</param>
/// <param name="Label">A short human label, for example <c>Bot token</c>.</param>
/// <example><c>new ConfigField("bot_token", "Bot token") { Required = true, Secret = true, Help = "From @BotFather." }</c></example>
public sealed record ConfigField(string Key, string Label)
{
    /// <summary>Whether <c>Validate</c> refuses a channel or agent without it. Default false.</summary>
    public bool Required { get; init; }

    /// <summary>
    /// Whether it is a credential: sent in the <c>credentials</c> map, write-only (encrypted at rest, never returned;
    /// forms show whether it is set, never its value). Default false: a <c>config</c> entry, returned as given.
    /// </summary>
    public bool Secret { get; init; }

    /// <summary>One sentence on the value's shape, default and where to find it; <see langword="null"/> for none.</summary>
    public string? Help { get; init; }

    /// <summary>The accepted values when the setting is one of a fixed set (for example <c>["webhook", "polling"]</c>); empty for free text.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];
}
