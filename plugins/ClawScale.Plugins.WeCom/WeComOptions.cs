using System.Globalization;

namespace ClawScale.Plugins.WeCom;

/// <summary>
/// A WeCom channel's settings, parsed and validated from the channel's <c>config</c> map. Keys: <c>corp_id</c> (required),
/// <c>agent_id</c> (required), <c>api_base_url</c>, <c>request_timeout_seconds</c>, <c>per_member_per_minute</c>.
/// </summary>
public sealed record WeComOptions
{
    /// <summary>The default server API base URL (WeCom "服务端API": https://qyapi.weixin.qq.com/cgi-bin/).</summary>
    public static readonly Uri DefaultApiBaseUrl = new("https://qyapi.weixin.qq.com/cgi-bin/");

    /// <summary>The most UTF-8 bytes of one text message (message/send: "最长不超过2048个字节，超过将截断").</summary>
    public const int MaxTextBytes = 2048;

    /// <summary>The enterprise's corp id, <c>ww…</c> (config <c>corp_id</c>; 我的企业 → 企业信息 → 企业ID); the receiveid of every callback.</summary>
    public string CorpId { get; init; } = string.Empty;

    /// <summary>The application's AgentId (config <c>agent_id</c>, a positive whole number; 应用管理 → the app → AgentId).</summary>
    public long AgentId { get; init; }

    /// <summary>The server API base URL (config <c>api_base_url</c>, absolute http(s)); default https://qyapi.weixin.qq.com/cgi-bin/.</summary>
    public Uri ApiBaseUrl { get; init; } = DefaultApiBaseUrl;

    /// <summary>The timeout of one API call (config <c>request_timeout_seconds</c>, 1–300); default 15 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The most messages sent to one member per minute (config <c>per_member_per_minute</c>, 1–30); default 30. WeCom
    /// drops, without an error, messages of one app to one member beyond 30 per minute (message/send "发送限制"), so
    /// the adapter holds them back (retry after the window) instead.
    /// </summary>
    public int PerMemberPerMinute { get; init; } = 30;

    /// <summary>Parses and validates <paramref name="config"/>, collecting every problem.</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="errors">Every problem found, naming the field; empty when valid.</param>
    /// <returns>The options.</returns>
    public static WeComOptions Parse(IReadOnlyDictionary<string, string> config, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        var options = new WeComOptions();
        var known = new[] { "corp_id", "agent_id", "api_base_url", "request_timeout_seconds", "per_member_per_minute" };
        foreach (var key in config.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal))
            problems.Add($"config.{key}: unknown setting; known settings are {string.Join(", ", known)}");

        var corpId = Get(config, "corp_id");
        if (corpId is null)
            problems.Add("config.corp_id is required: the corp id (企业ID, ww…) from 我的企业 → 企业信息 in the WeCom admin console");
        else if (corpId.Length > 64 || !corpId.All(char.IsAsciiLetterOrDigit))
            problems.Add($"config.corp_id must be letters and digits, for example ww1436e0e65a779aee (got \"{corpId}\")");
        else
            options = options with { CorpId = corpId };

        var agentId = Get(config, "agent_id");
        if (agentId is null)
            problems.Add("config.agent_id is required: the AgentId of the self-built app (应用管理 → the app)");
        else if (long.TryParse(agentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            options = options with { AgentId = id };
        else
            problems.Add($"config.agent_id must be a positive whole number, for example 1000002 (got \"{agentId}\")");

        if (Get(config, "api_base_url") is { } baseUrl)
        {
            var text = baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/";
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && string.IsNullOrEmpty(uri.Query))
                options = options with { ApiBaseUrl = uri };
            else
                problems.Add($"config.api_base_url must be an absolute http(s) URL without query, such as https://qyapi.weixin.qq.com/cgi-bin (got \"{baseUrl}\")");
        }

        if (Int(config, "request_timeout_seconds", 1, 300, problems) is { } timeout)
            options = options with { RequestTimeout = TimeSpan.FromSeconds(timeout) };
        if (Int(config, "per_member_per_minute", 1, 30, problems) is { } perMember)
            options = options with { PerMemberPerMinute = perMember };

        errors = problems;
        return options;
    }

    private static string? Get(IReadOnlyDictionary<string, string> config, string key) =>
        config.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static int? Int(IReadOnlyDictionary<string, string> config, string key, int min, int max, List<string> problems)
    {
        if (Get(config, key) is not { } text)
            return null;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        problems.Add($"config.{key} must be a whole number from {min} to {max} (got \"{text}\")");
        return null;
    }
}
