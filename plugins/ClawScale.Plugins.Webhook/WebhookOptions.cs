using System.Globalization;

namespace ClawScale.Plugins.Webhook;

/// <summary>
/// A webhook channel's settings, parsed and validated from the channel's <c>config</c> map. Keys:
/// <c>callback_url</c> (required), <c>provider</c>, <c>timeout_seconds</c>.
/// </summary>
public sealed record WebhookOptions
{
    /// <summary>The identity provider used when none is configured.</summary>
    public const string DefaultProvider = "webhook";

    /// <summary>How far the <c>X-ClawScale-Timestamp</c> of a call may be from the time it is received: 5 minutes.</summary>
    public static readonly TimeSpan SignatureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Where replies are POSTed (config <c>callback_url</c>, an absolute http(s) URL; required).</summary>
    public required Uri CallbackUrl { get; init; }

    /// <summary>
    /// The provider of senders' external identities (config <c>provider</c>, 1–64 of a-z 0-9 _ . -); default
    /// <c>webhook</c>. Give each integrated system its own provider when their user ids could collide.
    /// </summary>
    public string Provider { get; init; } = DefaultProvider;

    /// <summary>The timeout of one callback POST (config <c>timeout_seconds</c>, 1–300); default 10 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Parses and validates <paramref name="config"/>, collecting every problem.</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="errors">Every problem found, naming the field and its constraint; empty when valid.</param>
    /// <returns>The options, or <see langword="null"/> when <c>callback_url</c> is missing or invalid.</returns>
    public static WebhookOptions? Parse(IReadOnlyDictionary<string, string> config, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();

        Uri? callback = null;
        if (!config.TryGetValue("callback_url", out var url) || string.IsNullOrWhiteSpace(url))
            problems.Add("config.callback_url is required: the absolute http(s) URL the kernel POSTs replies to, for example https://example.com/clawscale/callback");
        else if (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.UserInfo.Length == 0)
            callback = uri;
        else
            problems.Add($"config.callback_url must be an absolute http(s) URL without user info, such as https://example.com/clawscale/callback (got \"{url}\")");

        var provider = DefaultProvider;
        if (config.TryGetValue("provider", out var configuredProvider) && !string.IsNullOrWhiteSpace(configuredProvider))
        {
            var trimmed = configuredProvider.Trim();
            if (trimmed.Length <= 64 && trimmed.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.' or '-'))
                provider = trimmed;
            else
                problems.Add($"config.provider must be 1–64 characters of a-z 0-9 _ . - (for example \"crm\"; got \"{configuredProvider}\")");
        }

        var timeout = TimeSpan.FromSeconds(10);
        if (config.TryGetValue("timeout_seconds", out var timeoutText) && !string.IsNullOrWhiteSpace(timeoutText))
        {
            if (int.TryParse(timeoutText.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 300)
                timeout = TimeSpan.FromSeconds(seconds);
            else
                problems.Add($"config.timeout_seconds must be a whole number of seconds from 1 to 300 (got \"{timeoutText}\")");
        }

        errors = problems;
        return callback is null ? null : new WebhookOptions { CallbackUrl = callback, Provider = provider, Timeout = timeout };
    }
}
