using System.Text.RegularExpressions;
using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.WhatsApp;

/// <summary>
/// A WhatsApp Cloud API channel's settings, parsed from its <c>config</c> map. Keys: <c>phone_number_id</c> (required),
/// <c>graph_base_url</c>, <c>graph_api_version</c>, <c>request_timeout_seconds</c>.
/// </summary>
public sealed partial record WhatsAppOptions
{
    /// <summary>The Graph API host used when <c>graph_base_url</c> is not set.</summary>
    public const string DefaultGraphBaseUrl = "https://graph.facebook.com";

    /// <summary>The Graph API version used when <c>graph_api_version</c> is not set.</summary>
    public const string DefaultGraphApiVersion = "v23.0";

    /// <summary>The longest text body of one message (WhatsApp Cloud API "Text messages": 4,096 characters).</summary>
    public const int MaxTextLength = 4096;

    /// <summary>
    /// The Graph API id of the business phone number (config <c>phone_number_id</c>, digits; WhatsApp Manager → API
    /// Setup). Messages go out from it, and webhook changes for other numbers of the same app are ignored.
    /// </summary>
    public string PhoneNumberId { get; init; } = string.Empty;

    /// <summary>The Graph API base URL (config <c>graph_base_url</c>); default https://graph.facebook.com.</summary>
    public Uri GraphBaseUrl { get; init; } = new(DefaultGraphBaseUrl);

    /// <summary>The Graph API version path segment (config <c>graph_api_version</c>, like <c>v23.0</c>).</summary>
    public string GraphApiVersion { get; init; } = DefaultGraphApiVersion;

    /// <summary>The timeout of one Graph API call (config <c>request_timeout_seconds</c>, 1–300); default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Parses and validates <paramref name="config"/>, collecting every problem.</summary>
    /// <param name="config">The channel's non-secret settings.</param>
    /// <param name="problems">Where problems are added, each naming its field.</param>
    /// <returns>The options (defaults where a value was invalid).</returns>
    public static WhatsAppOptions Parse(IReadOnlyDictionary<string, string> config, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(problems);
        var reader = new ConfigReader(config, "config", problems);
        var phoneNumberId = reader.RequiredString("phone_number_id", "the Phone number ID shown in WhatsApp Manager → API Setup (digits, not the phone number itself)");
        if (phoneNumberId.Length > 0 && !DigitsRegex().IsMatch(phoneNumberId))
            problems.Add($"config.phone_number_id: must be the numeric Phone number ID from WhatsApp Manager → API Setup (got '{phoneNumberId}')");
        var version = reader.String("graph_api_version") ?? DefaultGraphApiVersion;
        if (!VersionRegex().IsMatch(version))
            problems.Add($"config.graph_api_version: must look like v23.0 (got '{version}')");
        return new WhatsAppOptions
        {
            PhoneNumberId = phoneNumberId,
            GraphBaseUrl = reader.HttpUrl("graph_base_url", DefaultGraphBaseUrl),
            GraphApiVersion = version,
            RequestTimeout = TimeSpan.FromSeconds(reader.Int("request_timeout_seconds", 30, 1, 300)),
        };
    }

    [GeneratedRegex("^[0-9]{1,32}$")]
    private static partial Regex DigitsRegex();

    [GeneratedRegex("^v[0-9]{1,3}\\.[0-9]{1,3}$")]
    private static partial Regex VersionRegex();
}
