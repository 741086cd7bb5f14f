using ClawScale.Plugins.Configuration;
using Xunit;

namespace ClawScale.Plugins.Teams.Tests;

/// <summary>Configuration and credential validation of the Teams plugin.</summary>
public sealed class TeamsChannelAdapterFactoryTests
{
    private readonly TeamsChannelAdapterFactory _factory = new();

    [Fact]
    public void Kind_and_endpoint_keys_cover_every_place_credentials_or_trust_go()
    {
        Assert.Equal("teams", _factory.Kind);
        Assert.Equal(
            ["allow_http_service_url", "app_tenant_id", "default_service_url", "openid_metadata_url", "service_url_hosts", "token_endpoint"],
            _factory.EndpointConfigKeys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_minimal_channel_is_valid()
    {
        var problems = _factory.Validate(
            new Dictionary<string, string> { ["app_id"] = "2b6f1a43-7c1e-4c1a-9a0e-3f7d8a1b5c10" },
            new Dictionary<string, string> { ["app_password"] = "secret" });
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_problem_is_listed_with_its_field()
    {
        var problems = _factory.Validate(
            new Dictionary<string, string>
            {
                ["app_id"] = "my-bot",
                ["app_tenant_id"] = "not a tenant",
                ["token_endpoint"] = "login.microsoftonline.com",
                ["service_url_hosts"] = "*.evil.com",
                ["default_service_url"] = "https://example.com/",
                ["request_timeout_seconds"] = "0",
                ["typo"] = "x",
            },
            new Dictionary<string, string> { ["app_secret"] = "x" });

        foreach (var field in new[] { "config.app_id", "config.app_tenant_id", "config.token_endpoint", "config.service_url_hosts", "config.default_service_url", "config.request_timeout_seconds", "config.typo", "credentials.app_password", "credentials.app_secret" })
            Assert.Contains(problems, p => p.StartsWith(field, StringComparison.Ordinal));
    }

    [Fact]
    public void A_single_tenant_bot_gets_its_tenant_token_endpoint()
    {
        var options = TeamsOptions.Parse(new Dictionary<string, string> { ["app_id"] = "2b6f1a43-7c1e-4c1a-9a0e-3f7d8a1b5c10", ["app_tenant_id"] = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f" }, out var errors);
        Assert.Empty(errors);
        Assert.Equal("https://login.microsoftonline.com/b28fdbfd-2b78-4f93-b0f8-8881793f0f8f/oauth2/v2.0/token", options.TokenEndpoint.AbsoluteUri);
        Assert.Equal("https://login.botframework.com/v1/.well-known/openidconfiguration", options.OpenIdMetadataUrl.AbsoluteUri);
    }

    [Fact]
    public void Create_refuses_a_misconfigured_channel()
    {
        var context = new Channels.ChannelContext
        {
            ChannelId = "ch_1",
            TenantId = "tn_1",
            WebhookSecret = "x",
            HttpClient = new HttpClient(),
            Logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
        };
        var ex = Assert.Throws<ArgumentException>(() => _factory.Create(context));
        Assert.Contains("config.app_id", ex.Message);
        Assert.Contains("credentials.app_password", ex.Message);
    }

    /// <summary>
    /// The admin console's form (<see cref="TeamsChannelAdapterFactory.ConfigFields"/>) declares what Validate really
    /// reads: Required exactly for what an empty channel is refused for, every key of a complete channel, and Secret
    /// exactly for the keys Validate looks up in the credentials.
    /// </summary>
    [Fact]
    public void Declared_config_fields_match_what_Validate_reads()
    {
        var factory = new TeamsChannelAdapterFactory();
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
            TeamsOptions.KnownKeys.Order(StringComparer.Ordinal),
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
        ["app_id"] = "2b6f1a43-7c1e-4c1a-9a0e-3f7d8a1b5c10",
        ["app_password"] = "client-secret-value",
        ["app_tenant_id"] = "b28fdbfd-2b78-4f93-b0f8-8881793f0f8f",
        ["token_endpoint"] = "https://login.microsoftonline.com/b28fdbfd-2b78-4f93-b0f8-8881793f0f8f/oauth2/v2.0/token",
        ["openid_metadata_url"] = "https://login.botframework.com/v1/.well-known/openidconfiguration",
        ["service_url_hosts"] = "smba.trafficmanager.net,botframework.com",
        ["default_service_url"] = "https://smba.trafficmanager.net/teams/",
        ["request_timeout_seconds"] = "30",
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
