namespace ClawScale.Plugins.WeCom.Tests;

/// <summary>
/// The factory's <c>ConfigFields</c> against its <c>Validate</c> (tests/Shared's <see cref="ConfigFieldsContract"/>):
/// declared Required keys are exactly those refused when missing, a config built only from declared keys is accepted,
/// and Secret marks exactly the keys read from credentials.
/// </summary>
public sealed class WeComConfigFieldsTests
{
    /// <summary>A valid value for every key the plugin accepts.</summary>
    private static readonly Dictionary<string, string> ValidValues = new()
    {
        ["corp_secret"] = "test-corp-secret-value",
        ["token"] = "QDG6eK",
        ["encoding_aes_key"] = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        ["corp_id"] = "ww1436e0e65a779aee",
        ["agent_id"] = "1000002",
        ["api_base_url"] = "https://qyapi.weixin.qq.com/cgi-bin/",
        ["request_timeout_seconds"] = "15",
        ["per_member_per_minute"] = "30",
    };

    [Fact]
    public void The_declared_config_fields_match_what_Validate_requires_accepts_and_reads_from_credentials()
    {
        var factory = new WeComChannelAdapterFactory();
        ConfigFieldsContract.AssertRequiredAreWhatAnEmptyChannelIsRefusedFor(factory);

        // Secret exactly where Validate reads credentials (empty or complete); the rest exactly where it reads config.
        var empty = ConfigFieldsContract.ReadByAnEmptyChannel(factory);
        var complete = ConfigFieldsContract.AssertValid(factory, ValidValues);
        Assert.Equal(ConfigFieldsContract.Declared(factory, secret: true), empty.Credentials.Union(complete.Credentials).Order(StringComparer.Ordinal));
        Assert.Equal(ConfigFieldsContract.Declared(factory, secret: false), empty.Config.Union(complete.Config).Order(StringComparer.Ordinal));
    }
}
