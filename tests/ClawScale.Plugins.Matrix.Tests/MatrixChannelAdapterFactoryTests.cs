using Xunit;

namespace ClawScale.Plugins.Matrix.Tests;

/// <summary>The Matrix plugin's declared settings (<see cref="MatrixChannelAdapterFactory.ConfigFields"/>) against its Validate.</summary>
public sealed class MatrixChannelAdapterFactoryTests
{
    /// <summary>
    /// The admin console's form (<see cref="MatrixChannelAdapterFactory.ConfigFields"/>) declares what Validate really
    /// reads: Required exactly for what an empty channel is refused for, every key of a complete channel, and Secret
    /// exactly for the keys Validate looks up in the credentials (tests/Shared's <see cref="ConfigFieldsContract"/>).
    /// </summary>
    [Fact]
    public void Declared_config_fields_match_what_Validate_reads()
    {
        var factory = new MatrixChannelAdapterFactory();
        ConfigFieldsContract.AssertRequiredAreWhatAnEmptyChannelIsRefusedFor(factory);
        ConfigFieldsContract.AssertValid(factory, Samples, factory.ConfigFields.Where(f => f.Required).ToList());

        // Complete (every choice in turn), and every config key the plugin knows is declared.
        var complete = ConfigFieldsContract.AssertValid(factory, Samples);
        Assert.Equal(MatrixOptions.KnownKeys.Order(StringComparer.Ordinal), ConfigFieldsContract.Declared(factory, secret: false));

        // Secret: exactly the keys Validate looks up in the credentials map.
        var credentialsRead = complete.Credentials.Union(ConfigFieldsContract.ReadByAnEmptyChannel(factory).Credentials).Order(StringComparer.Ordinal);
        Assert.Equal(credentialsRead, ConfigFieldsContract.Declared(factory, secret: true));
    }

    /// <summary>A valid value of each free-text key.</summary>
    private static readonly Dictionary<string, string> Samples = new()
    {
        ["homeserver_url"] = "https://matrix.example.org",
        ["access_token"] = "syt_Y2xhd2JvdA_abcdefghijklmnopqrst_0a1b2c",
        ["display_name"] = "ClawBot",
        ["sync_timeout_seconds"] = "30",
        ["request_timeout_seconds"] = "30",
    };
}
