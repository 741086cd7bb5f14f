using System.Globalization;

namespace ClawScale.Plugins.Shared;

/// <summary>
/// Reads typed values from an agent's string-to-string configuration and collects every problem, each naming the
/// field (<c>config.model</c>, <c>credentials.api_key</c>) and the constraint it broke. Secret values are never echoed.
/// </summary>
internal sealed class ConfigReader
{
    private readonly IReadOnlyDictionary<string, string> values;
    private readonly string section;
    private readonly List<string> problems;
    private readonly bool secret;

    /// <summary>Creates a reader over one section.</summary>
    /// <param name="values">The settings.</param>
    /// <param name="section"><c>config</c> or <c>credentials</c>; prefixes every problem.</param>
    /// <param name="problems">Where problems are added.</param>
    /// <param name="secret">When true, values are never quoted in problems.</param>
    public ConfigReader(IReadOnlyDictionary<string, string> values, string section, List<string> problems, bool secret = false)
    {
        this.values = values ?? new Dictionary<string, string>();
        this.section = section;
        this.problems = problems;
        this.secret = secret;
    }

    /// <summary>The trimmed value, or <see langword="null"/> when missing or blank.</summary>
    public string? String(string key) =>
        values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>The value as given (not trimmed), or <see langword="null"/> when missing.</summary>
    public string? Raw(string key) => values.TryGetValue(key, out var value) ? value : null;

    /// <summary>A required non-blank string; reports <paramref name="hint"/> when missing.</summary>
    public string RequiredString(string key, string hint)
    {
        var value = String(key);
        if (value is null)
        {
            problems.Add($"{section}.{key}: required; {hint}");
        }

        return value ?? string.Empty;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], or the default when missing.</summary>
    public int Int(string key, int defaultValue, int min, int max) => OptionalInt(key, min, max) ?? defaultValue;

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], or <see langword="null"/> when missing.</summary>
    public int? OptionalInt(string key, int min, int max)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        problems.Add($"{section}.{key}: must be a whole number from {min} to {max}{Got(text)}");
        return null;
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>], or <see langword="null"/> when missing.</summary>
    public double? OptionalDouble(string key, double min, double max)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        problems.Add($"{section}.{key}: must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}{Got(text)}");
        return null;
    }

    /// <summary><c>true</c>/<c>false</c> (also <c>1</c>/<c>0</c>, <c>yes</c>/<c>no</c>), or the default when missing.</summary>
    public bool Bool(string key, bool defaultValue)
    {
        var text = String(key);
        switch (text?.ToLowerInvariant())
        {
            case null:
                return defaultValue;
            case "true" or "1" or "yes" or "on":
                return true;
            case "false" or "0" or "no" or "off":
                return false;
            default:
                problems.Add($"{section}.{key}: must be true or false{Got(text)}");
                return defaultValue;
        }
    }

    /// <summary>An absolute http(s) URL without a trailing slash, or the default when missing.</summary>
    public Uri HttpUrl(string key, string defaultValue)
    {
        var text = String(key) ?? defaultValue;
        if (Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment))
        {
            return uri;
        }

        problems.Add($"{section}.{key}: must be an absolute http or https URL without query, for example {defaultValue}{Got(text)}");
        return new Uri(defaultValue);
    }

    /// <summary>Reports every key not in <paramref name="known"/> (a typo would otherwise be ignored silently).</summary>
    public void RejectUnknownKeys(IReadOnlyCollection<string> known)
    {
        foreach (var key in values.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{section}.{key}: unknown setting; known settings are {string.Join(", ", known)}");
        }
    }

    private string Got(string text) => secret ? string.Empty : $" (got '{text}')";
}
