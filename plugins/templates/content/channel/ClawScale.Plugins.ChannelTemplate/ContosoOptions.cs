using System.Globalization;

namespace ClawScale.Plugins.ChannelTemplate;

/// <summary>
/// A <c>contoso</c> channel's settings, parsed and validated from the channel's <c>config</c> and <c>credentials</c>.
/// Config: <c>api_base_url</c> (required), <c>timeout_seconds</c>. Credentials: <c>api_token</c> (required).
/// The webhook signature secret is the channel's own webhook secret (<c>ChannelContext.WebhookSecret</c>).
/// </summary>
public sealed record ContosoOptions
{
    /// <summary>How far a webhook's signed timestamp may be from the time the kernel received it.</summary>
    public static readonly TimeSpan SignatureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The platform API's base URL (config <c>api_base_url</c>, absolute http(s); required).</summary>
    public required Uri ApiBaseUrl { get; init; }

    /// <summary>The token sent as <c>Authorization: Bearer</c> to the platform API (credential <c>api_token</c>). Never log it.</summary>
    public required string ApiToken { get; init; }

    /// <summary>The timeout of one API call (config <c>timeout_seconds</c>, 1–60); default 10 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Parses and validates the settings, collecting every problem.</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <param name="errors">Every problem found, naming the field and its constraint; empty when valid.</param>
    /// <returns>The options, or <see langword="null"/> when anything is invalid.</returns>
    public static ContosoOptions? Parse(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        var problems = new List<string>();

        Uri? baseUrl = null;
        if (!config.TryGetValue("api_base_url", out var url) || string.IsNullOrWhiteSpace(url))
            problems.Add("config.api_base_url is required: the platform API's absolute http(s) URL, for example https://api.contoso.example/v1");
        else if (Uri.TryCreate(url.Trim().TrimEnd('/') + "/", UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.UserInfo.Length == 0)
            baseUrl = uri;
        else
            problems.Add($"config.api_base_url must be an absolute http(s) URL without user info (got \"{url}\")");

        if (!credentials.TryGetValue("api_token", out var token) || string.IsNullOrWhiteSpace(token))
            problems.Add("credentials.api_token is required: the platform's API token for this bot");

        var timeout = TimeSpan.FromSeconds(10);
        if (config.TryGetValue("timeout_seconds", out var timeoutText) && !string.IsNullOrWhiteSpace(timeoutText))
        {
            if (int.TryParse(timeoutText.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 60)
                timeout = TimeSpan.FromSeconds(seconds);
            else
                problems.Add($"config.timeout_seconds must be a whole number from 1 to 60 (got \"{timeoutText}\")");
        }

        errors = problems;
        return problems.Count > 0 || baseUrl is null || token is null
            ? null
            : new ContosoOptions { ApiBaseUrl = baseUrl, ApiToken = token.Trim(), Timeout = timeout };
    }
}
