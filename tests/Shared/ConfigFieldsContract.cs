using System.Collections;
using System.Diagnostics.CodeAnalysis;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Configuration;
using Xunit;

namespace ClawScale.Testing;

/// <summary>
/// Checks a channel plugin's declared settings (<see cref="IChannelAdapterFactory.ConfigFields"/>, the admin console's
/// form) against what its <see cref="IChannelAdapterFactory.Validate"/> really does: Required exactly for what an empty
/// channel is refused for, every declared key (every choice in turn) accepted, and which keys it reads from config and
/// from credentials. Problems are matched on the SDK's convention <c>config.key: …</c> / <c>credentials.key …</c>.
/// </summary>
public static class ConfigFieldsContract
{
    /// <summary>An empty channel is refused exactly for the declared Required fields (at least one), each in its map.</summary>
    public static void AssertRequiredAreWhatAnEmptyChannelIsRefusedFor(IChannelAdapterFactory factory)
    {
        var required = factory.ConfigFields.Where(f => f.Required).ToList();
        var problems = factory.Validate(new Dictionary<string, string>(), new Dictionary<string, string>());
        Assert.NotEmpty(required);
        foreach (var field in required)
            Assert.Contains(problems, p => Names(p, field));
        foreach (var problem in problems)
            Assert.Contains(required, f => Names(problem, f));
    }

    /// <summary>
    /// Validates channels made of <paramref name="fields"/> only (default: every declared field), secrets as credentials
    /// and the rest as config, with the sample value of each free-text key and every choice in turn; asserts each is
    /// valid and returns the keys Validate looked up in each map over all of them, in ordinal order.
    /// </summary>
    public static (IReadOnlyList<string> Config, IReadOnlyList<string> Credentials) AssertValid(
        IChannelAdapterFactory factory, IReadOnlyDictionary<string, string> samples, IReadOnlyList<ConfigField>? fields = null)
    {
        fields ??= factory.ConfigFields;
        Assert.Equal(fields.Count, fields.Select(f => f.Key).Distinct(StringComparer.Ordinal).Count());
        foreach (var field in fields.Where(f => f.Choices.Count == 0))
            Assert.True(samples.ContainsKey(field.Key), $"no sample value for declared key {field.Key}");
        var complete = fields.ToDictionary(f => f.Key, f => f.Choices.Count > 0 ? f.Choices[0] : samples[f.Key], StringComparer.Ordinal);
        var variants = new List<Dictionary<string, string>> { complete };
        foreach (var field in fields)
            variants.AddRange(field.Choices.Skip(1).Select(choice => new Dictionary<string, string>(complete, StringComparer.Ordinal) { [field.Key] = choice }));

        var configRead = new HashSet<string>(StringComparer.Ordinal);
        var credentialsRead = new HashSet<string>(StringComparer.Ordinal);
        foreach (var values in variants)
        {
            var config = new RecordingDictionary(Split(fields, values, secret: false));
            var credentials = new RecordingDictionary(Split(fields, values, secret: true));
            Assert.Empty(factory.Validate(config, credentials));
            configRead.UnionWith(config.Read);
            credentialsRead.UnionWith(credentials.Read);
        }

        return (Sorted(configRead), Sorted(credentialsRead));
    }

    /// <summary>The keys Validate looks up in each map of an empty channel, in ordinal order.</summary>
    public static (IReadOnlyList<string> Config, IReadOnlyList<string> Credentials) ReadByAnEmptyChannel(IChannelAdapterFactory factory)
    {
        var config = new RecordingDictionary([]);
        var credentials = new RecordingDictionary([]);
        factory.Validate(config, credentials);
        return (Sorted(config.Read), Sorted(credentials.Read));
    }

    /// <summary>The declared keys that are credentials (<paramref name="secret"/>) or config, in ordinal order.</summary>
    public static IReadOnlyList<string> Declared(IChannelAdapterFactory factory, bool secret) =>
        Sorted(factory.ConfigFields.Where(f => f.Secret == secret).Select(f => f.Key));

    /// <summary>Every declared choice makes a valid channel; a value outside the choices is refused naming the field.</summary>
    public static void AssertChoicesAcceptedAndOthersRefused(IChannelAdapterFactory factory, IReadOnlyDictionary<string, string> samples)
    {
        var fields = factory.ConfigFields;
        foreach (var field in fields.Where(f => f.Choices.Count > 0))
        {
            foreach (var choice in field.Choices)
                Assert.Empty(ValidateWith(field, choice));
            Assert.Contains(ValidateWith(field, "not-a-choice"), p => Names(p, field));
        }

        IReadOnlyList<string> ValidateWith(ConfigField field, string value)
        {
            var values = fields.ToDictionary(f => f.Key, f => f.Choices.Count > 0 ? f.Choices[0] : samples[f.Key], StringComparer.Ordinal);
            values[field.Key] = value;
            return factory.Validate(Split(fields, values, secret: false), Split(fields, values, secret: true));
        }
    }

    /// <summary>Whether <paramref name="problem"/> is about <paramref name="field"/> (<c>config.key</c> or <c>credentials.key</c>, then ':' or ' ').</summary>
    public static bool Names(string problem, ConfigField field)
    {
        var prefix = (field.Secret ? "credentials." : "config.") + field.Key;
        return problem.StartsWith(prefix + ":", StringComparison.Ordinal) || problem.StartsWith(prefix + " ", StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Split(IReadOnlyList<ConfigField> fields, Dictionary<string, string> values, bool secret) =>
        fields.Where(f => f.Secret == secret && values.ContainsKey(f.Key)).ToDictionary(f => f.Key, f => values[f.Key], StringComparer.Ordinal);

    private static List<string> Sorted(IEnumerable<string> keys) => keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>A dictionary that records every key looked up in it (indexer, ContainsKey, TryGetValue).</summary>
    private sealed class RecordingDictionary(Dictionary<string, string> inner) : IReadOnlyDictionary<string, string>
    {
        public HashSet<string> Read { get; } = new(StringComparer.Ordinal);

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
            Read.Add(key);
            return result;
        }
    }
}
