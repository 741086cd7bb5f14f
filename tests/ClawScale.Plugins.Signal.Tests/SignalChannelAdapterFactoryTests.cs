using ClawScale.Plugins.Configuration;
using Xunit;

namespace ClawScale.Plugins.Signal.Tests;

/// <summary>The Signal plugin's declared settings (<see cref="SignalChannelAdapterFactory.ConfigFields"/>) against its Validate.</summary>
public sealed class SignalChannelAdapterFactoryTests
{
    /// <summary>
    /// The admin console's form (<see cref="SignalChannelAdapterFactory.ConfigFields"/>) declares what Validate really
    /// reads: Required exactly for what an empty channel is refused for, every key of a complete channel, and Secret
    /// exactly for the keys Validate looks up in the credentials.
    /// </summary>
    [Fact]
    public void Declared_config_fields_match_what_Validate_reads()
    {
        var factory = new SignalChannelAdapterFactory();
        var fields = factory.ConfigFields;
        var empty = new Dictionary<string, string>();

        // Required: every required key is named in the problems of an empty channel, and every problem names a required key.
        var problems = factory.Validate(empty, empty);
        var required = fields.Where(f => f.Required).ToList();
        Assert.NotEmpty(required);
        foreach (var field in required)
            Assert.Contains(problems, p => Names(p, field));
        foreach (var problem in problems)
            Assert.Contains(required, f => Names(problem, f));
        var minimal = CompleteSettings(required, Samples).First();
        Assert.Empty(factory.Validate(minimal.Config, minimal.Credentials));

        // Complete: the declared keys (secrets as credentials, the rest as config, every choice) make a valid channel,
        // and every config key the plugin knows is declared.
        var credentialsRead = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (config, credentials) in CompleteSettings(fields, Samples))
        {
            var recording = new KeyRecordingDictionary(credentials);
            Assert.Empty(factory.Validate(config, recording));
            credentialsRead.UnionWith(recording.LookedUp);
        }

        Assert.Equal(
            SignalOptions.KnownKeys.Order(StringComparer.Ordinal),
            fields.Where(f => !f.Secret).Select(f => f.Key).Order(StringComparer.Ordinal));

        // Secret: exactly the keys Validate looks up in the credentials map.
        var emptyCredentials = new KeyRecordingDictionary(empty);
        factory.Validate(empty, emptyCredentials);
        credentialsRead.UnionWith(emptyCredentials.LookedUp);
        Assert.Equal(
            credentialsRead.Order(StringComparer.Ordinal),
            fields.Where(f => f.Secret).Select(f => f.Key).Order(StringComparer.Ordinal));
    }

    /// <summary>A valid value of each free-text key.</summary>
    private static readonly Dictionary<string, string> Samples = new()
    {
        ["api_base_url"] = "http://signal-api:8080",
        ["number"] = "+4915112345678",
        ["account_uuid"] = "1f0e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
        ["receive_timeout_seconds"] = "10",
        ["request_timeout_seconds"] = "30",
        ["api_token"] = "proxy-token",
    };

    /// <summary>
    /// Builds complete settings from the declared keys only (a sample value each, every choice in turn), split into
    /// config and credentials by <see cref="ConfigField.Secret"/>.
    /// </summary>
    private static IEnumerable<(Dictionary<string, string> Config, Dictionary<string, string> Credentials)> CompleteSettings(
        IReadOnlyList<ConfigField> fields, IReadOnlyDictionary<string, string> samples)
    {
        foreach (var field in fields.Where(f => f.Choices.Count == 0))
            Assert.True(samples.ContainsKey(field.Key), $"no sample value for declared key {field.Key}");
        var complete = fields.ToDictionary(f => f.Key, f => f.Choices.Count > 0 ? f.Choices[0] : samples[f.Key]);
        var variants = new List<Dictionary<string, string>> { complete };
        foreach (var field in fields)
            variants.AddRange(field.Choices.Skip(1).Select(choice => new Dictionary<string, string>(complete) { [field.Key] = choice }));
        foreach (var variant in variants)
            yield return (Split(fields, variant, secret: false), Split(fields, variant, secret: true));
    }

    private static Dictionary<string, string> Split(IReadOnlyList<ConfigField> fields, Dictionary<string, string> values, bool secret) =>
        fields.Where(f => f.Secret == secret && values.ContainsKey(f.Key)).ToDictionary(f => f.Key, f => values[f.Key]);

    /// <summary>Whether <paramref name="problem"/> is about <paramref name="field"/> (<c>config.key</c> or <c>credentials.key</c>).</summary>
    private static bool Names(string problem, ConfigField field)
    {
        var prefix = (field.Secret ? "credentials." : "config.") + field.Key;
        return problem.StartsWith(prefix + ":", StringComparison.Ordinal) || problem.StartsWith(prefix + " ", StringComparison.Ordinal);
    }

    /// <summary>A dictionary that records every key looked up in it (TryGetValue, ContainsKey, the indexer).</summary>
    private sealed class KeyRecordingDictionary(IReadOnlyDictionary<string, string> inner) : IReadOnlyDictionary<string, string>
    {
        public HashSet<string> LookedUp { get; } = new(StringComparer.Ordinal);

        public string this[string key] { get { LookedUp.Add(key); return inner[key]; } }

        public IEnumerable<string> Keys => inner.Keys;

        public IEnumerable<string> Values => inner.Values;

        public int Count => inner.Count;

        public bool ContainsKey(string key) { LookedUp.Add(key); return inner.ContainsKey(key); }

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) { LookedUp.Add(key); return inner.TryGetValue(key, out value); }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => inner.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
