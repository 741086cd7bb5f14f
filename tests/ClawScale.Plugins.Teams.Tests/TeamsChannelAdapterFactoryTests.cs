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
    /// exactly for the keys Validate looks up in the credentials (tests/Shared's <see cref="ConfigFieldsContract"/>).
    /// </summary>
    [Fact]
    public void Declared_config_fields_match_what_Validate_reads()
    {
        var factory = new TeamsChannelAdapterFactory();
        ConfigFieldsContract.AssertRequiredAreWhatAnEmptyChannelIsRefusedFor(factory);
        ConfigFieldsContract.AssertValid(factory, Samples, factory.ConfigFields.Where(f => f.Required).ToList());

        // Complete (every choice in turn), and every config key the plugin knows is declared.
        var complete = ConfigFieldsContract.AssertValid(factory, Samples);
        Assert.Equal(TeamsOptions.KnownKeys.Order(StringComparer.Ordinal), ConfigFieldsContract.Declared(factory, secret: false));

        // Secret: exactly the keys Validate looks up in the credentials map.
        var credentialsRead = complete.Credentials.Union(ConfigFieldsContract.ReadByAnEmptyChannel(factory).Credentials).Order(StringComparer.Ordinal);
        Assert.Equal(credentialsRead, ConfigFieldsContract.Declared(factory, secret: true));
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
}
