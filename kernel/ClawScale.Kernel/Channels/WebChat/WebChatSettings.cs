namespace ClawScale.Kernel.Channels.WebChat;

/// <summary>
/// The validated configuration of one web chat channel (the channel's <c>config</c> map). Web chat channels have no
/// credentials: visitors are identified by a random visitor id their browser keeps.
/// </summary>
/// <param name="Title">The page title and heading (<c>title</c>, 1–200 characters, default <c>Chat</c>).</param>
/// <param name="Welcome">The first bubble shown to a visitor (<c>welcome</c>, up to 2000 characters), or null.</param>
/// <param name="AllowedOrigins">
/// Origins (<c>scheme://host[:port]</c>) whose pages may call the channel's endpoints from the browser
/// (<c>allowed_origins</c>, comma-separated; <c>*</c> allows any origin). Empty: same origin only.
/// </param>
internal sealed record WebChatSettings(string Title, string? Welcome, IReadOnlyList<string> AllowedOrigins)
{
    /// <summary>The config key of <see cref="Title"/>.</summary>
    public const string TitleKey = "title";

    /// <summary>The config key of <see cref="Welcome"/>.</summary>
    public const string WelcomeKey = "welcome";

    /// <summary>The config key of <see cref="AllowedOrigins"/>.</summary>
    public const string AllowedOriginsKey = "allowed_origins";

    /// <summary>The title used when the channel sets none.</summary>
    public const string DefaultTitle = "Chat";

    /// <summary>The longest accepted <c>title</c>, in characters.</summary>
    public const int MaxTitleLength = 200;

    /// <summary>The longest accepted <c>welcome</c>, in characters.</summary>
    public const int MaxWelcomeLength = 2000;

    /// <summary>Whether a browser page served from <paramref name="origin"/> may call the channel's endpoints.</summary>
    /// <param name="origin">The request's <c>Origin</c> header.</param>
    /// <returns>True when the origin is listed, or the list contains <c>*</c>.</returns>
    public bool AllowsOrigin(string origin) =>
        AllowedOrigins.Any(o => o == "*" || string.Equals(o, origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads settings from a channel's config, listing every problem (empty when valid).</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="problems">Each problem, naming the field and its constraint.</param>
    /// <returns>The settings; defaults stand in for invalid values.</returns>
    public static WebChatSettings Parse(IReadOnlyDictionary<string, string> config, out IReadOnlyList<string> problems)
    {
        var errors = new List<string>();
        var title = DefaultTitle;
        if (config.TryGetValue(TitleKey, out var t))
        {
            if (string.IsNullOrWhiteSpace(t) || t.Length > MaxTitleLength)
                errors.Add($"config.{TitleKey} must be 1 to {MaxTitleLength} characters (or left out for \"{DefaultTitle}\")");
            else
                title = t.Trim();
        }

        string? welcome = null;
        if (config.TryGetValue(WelcomeKey, out var w) && !string.IsNullOrWhiteSpace(w))
        {
            if (w.Length > MaxWelcomeLength) errors.Add($"config.{WelcomeKey} must be at most {MaxWelcomeLength} characters");
            else welcome = w.Trim();
        }

        var origins = new List<string>();
        if (config.TryGetValue(AllowedOriginsKey, out var list))
        {
            foreach (var raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (raw == "*" || IsOrigin(raw)) origins.Add(raw.TrimEnd('/'));
                else errors.Add($"config.{AllowedOriginsKey}: '{raw}' is not an origin; use scheme://host[:port] (for example https://shop.example.com) or *");
            }
        }

        problems = errors;
        return new WebChatSettings(title, welcome, origins);
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
        && string.IsNullOrEmpty(uri.UserInfo);
}
