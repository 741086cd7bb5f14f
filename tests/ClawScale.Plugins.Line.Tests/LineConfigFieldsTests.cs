using System.Collections;
using System.Diagnostics.CodeAnalysis;
using ClawScale.Plugins.Configuration;

namespace ClawScale.Plugins.Line.Tests;

/// <summary>
/// The settings <see cref="LineChannelAdapterFactory.ConfigFields"/> declares for the admin console's form match what
/// Validate really reads and refuses: the keys, which of them are credentials, which are required, and the choices.
/// </summary>
public sealed class LineConfigFieldsTests
{
    private static readonly LineChannelAdapterFactory Factory = new();

    /// <summary>A valid value for each key the plugin reads (looked up only by the keys the factory declares).</summary>
    private static readonly Dictionary<string, string> ValidValues = new(StringComparer.Ordinal)
    {
        ["reply_token_window_seconds"] = "50",
        ["request_timeout_seconds"] = "30",
        ["api_base_url"] = "https://api.line.me",
        ["channel_access_token"] = "long-lived-token",
        ["channel_secret"] = "channel-secret",
    };

    [Fact]
    public void Validate_of_an_empty_channel_names_exactly_the_required_fields()
    {
        var required = Factory.ConfigFields.Where(f => f.Required).ToList();
        var problems = Factory.Validate(new Dictionary<string, string>(), new Dictionary<string, string>());

        Assert.NotEmpty(required);
        foreach (var field in required)
            Assert.Contains(problems, p => Names(p, field));
        Assert.All(problems, p => Assert.Contains(required, f => Names(p, f)));
    }

    [Fact]
    public void A_channel_of_every_declared_field_is_valid_and_reads_exactly_the_declared_keys()
    {
        var fields = Factory.ConfigFields;
        Assert.Equal(fields.Count, fields.Select(f => f.Key).Distinct(StringComparer.Ordinal).Count());
        var config = new RecordingDictionary(Values(fields.Where(f => !f.Secret)));
        var credentials = new RecordingDictionary(Values(fields.Where(f => f.Secret)));

        Assert.Empty(Factory.Validate(config, credentials));
        Assert.Equal(Keys(fields.Where(f => !f.Secret)), config.ReadKeys.Order(StringComparer.Ordinal));
        Assert.Equal(Keys(fields.Where(f => f.Secret)), credentials.ReadKeys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Secret_fields_are_exactly_the_credentials_Validate_reads()
    {
        var credentials = new RecordingDictionary([]);
        Factory.Validate(new Dictionary<string, string>(), credentials);

        Assert.Equal(Keys(Factory.ConfigFields.Where(f => f.Secret)), credentials.ReadKeys.Order(StringComparer.Ordinal));
    }

    private static bool Names(string problem, ConfigField field) =>
        problem.StartsWith($"{(field.Secret ? "credentials" : "config")}.{field.Key}:", StringComparison.Ordinal);

    private static IEnumerable<string> Keys(IEnumerable<ConfigField> fields) => fields.Select(f => f.Key).Order(StringComparer.Ordinal);

    private static Dictionary<string, string> Values(IEnumerable<ConfigField> fields) =>
        fields.ToDictionary(
            f => f.Key,
            f => ValidValues.TryGetValue(f.Key, out var value) ? value : throw new KeyNotFoundException($"no valid test value for declared key '{f.Key}'"),
            StringComparer.Ordinal);

    /// <summary>A dictionary that records every key looked up in it.</summary>
    private sealed class RecordingDictionary(Dictionary<string, string> inner) : IReadOnlyDictionary<string, string>
    {
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        public IEnumerable<string> ReadKeys => _read;

        public string this[string key] => Record(key, inner[key]);

        public IEnumerable<string> Keys => inner.Keys;

        public IEnumerable<string> Values => inner.Values;

        public int Count => inner.Count;

        public bool ContainsKey(string key) => Record(key, inner.ContainsKey(key));

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => Record(key, inner.TryGetValue(key, out value));

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => inner.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private T Record<T>(string key, T result)
        {
            _read.Add(key);
            return result;
        }
    }
}
