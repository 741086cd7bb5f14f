using System.Globalization;

namespace ClawScale.Plugins.WeChat;

/// <summary>
/// A WeChat Official Account channel's settings, parsed and validated from the channel's <c>config</c> map. Keys:
/// <c>app_id</c> (required), <c>api_base_url</c>, <c>request_timeout_seconds</c>.
/// </summary>
public sealed record WeChatOptions
{
    /// <summary>The default API base URL (https://api.weixin.qq.com/cgi-bin/).</summary>
    public static readonly Uri DefaultApiBaseUrl = new("https://api.weixin.qq.com/cgi-bin/");

    /// <summary>The most UTF-8 bytes of one customer-service text (kept at 2048, WeChat's text limit); longer texts are split.</summary>
    public const int MaxTextBytes = 2048;

    /// <summary>The account's AppID, <c>wx…</c> (config <c>app_id</c>; 设置与开发 → 基本配置 → 开发者ID); the receiveid in safe mode.</summary>
    public string AppId { get; init; } = string.Empty;

    /// <summary>The API base URL (config <c>api_base_url</c>, absolute http(s)); default https://api.weixin.qq.com/cgi-bin/.</summary>
    public Uri ApiBaseUrl { get; init; } = DefaultApiBaseUrl;

    /// <summary>The timeout of one API call (config <c>request_timeout_seconds</c>, 1–300); default 15 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Parses and validates <paramref name="config"/>, collecting every problem.</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="errors">Every problem found, naming the field; empty when valid.</param>
    /// <returns>The options.</returns>
    public static WeChatOptions Parse(IReadOnlyDictionary<string, string> config, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        var options = new WeChatOptions();
        var known = new[] { "app_id", "api_base_url", "request_timeout_seconds" };
        foreach (var key in config.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal))
            problems.Add($"config.{key}: unknown setting; known settings are {string.Join(", ", known)}");

        var appId = Get(config, "app_id");
        if (appId is null)
            problems.Add("config.app_id is required: the AppID (开发者ID, wx…) from 设置与开发 → 基本配置");
        else if (appId.Length > 64 || !appId.All(char.IsAsciiLetterOrDigit))
            problems.Add($"config.app_id must be letters and digits, for example wx2c2769f8efd9abc2 (got \"{appId}\")");
        else
            options = options with { AppId = appId };

        if (Get(config, "api_base_url") is { } baseUrl)
        {
            var text = baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && string.IsNullOrEmpty(uri.Query))
                options = options with { ApiBaseUrl = uri };
            else
                problems.Add($"config.api_base_url must be an absolute http(s) URL without query, such as https://api.weixin.qq.com/cgi-bin (got \"{baseUrl}\")");
        }

        if (Get(config, "request_timeout_seconds") is { } timeout)
        {
            if (int.TryParse(timeout, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 300)
                options = options with { RequestTimeout = TimeSpan.FromSeconds(seconds) };
            else
                problems.Add($"config.request_timeout_seconds must be a whole number from 1 to 300 (got \"{timeout}\")");
        }

        errors = problems;
        return options;
    }

    private static string? Get(IReadOnlyDictionary<string, string> config, string key) =>
        config.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
