using Xunit;

namespace ClawScale.Plugins.Signal.Tests;

/// <summary>The Signal plugin's declared settings (<see cref="SignalChannelAdapterFactory.ConfigFields"/>) against its Validate.</summary>
public sealed class SignalChannelAdapterFactoryTests
{
    /// <summary>
    /// The admin console's form (<see cref="SignalChannelAdapterFactory.ConfigFields"/>) declares what Validate really
    /// reads: Required exactly for what an empty channel is refused for, every key of a complete channel, and Secret
    /// exactly for the keys Validate looks up in the credentials (tests/Shared's <see cref="ConfigFieldsContract"/>).
    /// </summary>
    [Fact]
    public void Declared_config_fields_match_what_Validate_reads()
    {
        var factory = new SignalChannelAdapterFactory();
        ConfigFieldsContract.AssertRequiredAreWhatAnEmptyChannelIsRefusedFor(factory);
        ConfigFieldsContract.AssertValid(factory, Samples, factory.ConfigFields.Where(f => f.Required).ToList());

        // Complete (every choice in turn), and every config key the plugin knows is declared.
        var complete = ConfigFieldsContract.AssertValid(factory, Samples);
        Assert.Equal(SignalOptions.KnownKeys.Order(StringComparer.Ordinal), ConfigFieldsContract.Declared(factory, secret: false));

        // Secret: exactly the keys Validate looks up in the credentials map.
        var credentialsRead = complete.Credentials.Union(ConfigFieldsContract.ReadByAnEmptyChannel(factory).Credentials).Order(StringComparer.Ordinal);
        Assert.Equal(credentialsRead, ConfigFieldsContract.Declared(factory, secret: true));
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
}
