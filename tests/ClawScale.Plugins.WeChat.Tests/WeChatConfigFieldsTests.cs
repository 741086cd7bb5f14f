using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ClawScale.Plugins.WeChat.Tests;

/// <summary>
/// The factory's <c>ConfigFields</c> against its <c>Validate</c>: declared Required keys are exactly those refused when
/// missing, a config built only from declared keys is accepted, and Secret marks exactly the keys read from credentials.
/// </summary>
public sealed partial class WeChatConfigFieldsTests
{
    /// <summary>A valid value for every key the plugin accepts.</summary>
    private static readonly Dictionary<string, string> ValidValues = new()
    {
        ["app_secret"] = "test-app-secret",
        ["token"] = "spamtest",
        ["encoding_aes_key"] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        ["app_id"] = "wx2c2769f8efd9abc2",
        ["api_base_url"] = "https://api.weixin.qq.com/cgi-bin/",
        ["request_timeout_seconds"] = "15",
    };

    [Fact]
    public void The_declared_config_fields_match_what_Validate_requires_accepts_and_reads_from_credentials()
    {
        var factory = new WeChatChannelAdapterFactory();
        var fields = factory.ConfigFields;
        Assert.Equal(fields.Count, fields.Select(f => f.Key).Distinct(StringComparer.Ordinal).Count());
        foreach (var field in fields)
            Assert.True(ValidValues.ContainsKey(field.Key), $"no valid test value for declared key {field.Key}");

        // Empty settings: the keys Validate names as refused are exactly the declared Required ones, in the declared map.
        var emptyConfig = new RecordingDictionary([]);
        var emptyCredentials = new RecordingDictionary([]);
        var missing = factory.Validate(emptyConfig, emptyCredentials);
        var refused = missing.Select(p => ProblemKey().Match(p)).Where(m => m.Success).Select(m => m.Value).ToHashSet();
        Assert.Equal(missing.Count, refused.Count);
        var required = fields.Where(f => f.Required).Select(Qualified).ToHashSet();
        Assert.Equal(required.Order(StringComparer.Ordinal), refused.Order(StringComparer.Ordinal));

        // Every declared key with a valid value, each in the map its Secret flag says: no problem.
        var config = new RecordingDictionary(fields.Where(f => !f.Secret).ToDictionary(f => f.Key, f => ValidValues[f.Key]));
        var credentials = new RecordingDictionary(fields.Where(f => f.Secret).ToDictionary(f => f.Key, f => ValidValues[f.Key]));
        Assert.Empty(factory.Validate(config, credentials));

        // Secret exactly where Validate reads credentials; the rest exactly where it reads config.
        var readCredentials = emptyCredentials.Read.Union(credentials.Read).Order(StringComparer.Ordinal);
        var readConfig = emptyConfig.Read.Union(config.Read).Order(StringComparer.Ordinal);
        Assert.Equal(fields.Where(f => f.Secret).Select(f => f.Key).Order(StringComparer.Ordinal), readCredentials);
        Assert.Equal(fields.Where(f => !f.Secret).Select(f => f.Key).Order(StringComparer.Ordinal), readConfig);
    }

    private static string Qualified(ClawScale.Plugins.Configuration.ConfigField field) => (field.Secret ? "credentials." : "config.") + field.Key;

    [GeneratedRegex("^(config|credentials)\\.[a-z_]+(?= )", RegexOptions.CultureInvariant)]
    private static partial Regex ProblemKey();

    /// <summary>A read-only map that records every key looked up by name.</summary>
    private sealed class RecordingDictionary(Dictionary<string, string> inner) : IReadOnlyDictionary<string, string>
    {
        public HashSet<string> Read { get; } = new(StringComparer.Ordinal);

        public string this[string key]
        {
            get
            {
                Read.Add(key);
                return inner[key];
            }
        }

        public IEnumerable<string> Keys => inner.Keys;

        public IEnumerable<string> Values => inner.Values;

        public int Count => inner.Count;

        public bool ContainsKey(string key)
        {
            Read.Add(key);
            return inner.ContainsKey(key);
        }

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
        {
            Read.Add(key);
            return inner.TryGetValue(key, out value);
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => inner.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
