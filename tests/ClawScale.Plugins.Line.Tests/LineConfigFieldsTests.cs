namespace ClawScale.Plugins.Line.Tests;

/// <summary>
/// The settings <see cref="LineChannelAdapterFactory.ConfigFields"/> declares for the admin console's form match what
/// Validate really reads and refuses: the keys, which of them are credentials, which are required, and the choices
/// (checked with tests/Shared's <see cref="ConfigFieldsContract"/>).
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
    public void Validate_of_an_empty_channel_names_exactly_the_required_fields() =>
        ConfigFieldsContract.AssertRequiredAreWhatAnEmptyChannelIsRefusedFor(Factory);

    [Fact]
    public void A_channel_of_every_declared_field_is_valid_and_reads_exactly_the_declared_keys()
    {
        var read = ConfigFieldsContract.AssertValid(Factory, ValidValues);
        Assert.Equal(ConfigFieldsContract.Declared(Factory, secret: false), read.Config);
        Assert.Equal(ConfigFieldsContract.Declared(Factory, secret: true), read.Credentials);
    }

    [Fact]
    public void Secret_fields_are_exactly_the_credentials_Validate_reads() =>
        Assert.Equal(ConfigFieldsContract.Declared(Factory, secret: true), ConfigFieldsContract.ReadByAnEmptyChannel(Factory).Credentials);
}
