namespace ClawScale.Plugins.WeChat.Tests;

/// <summary>
/// The factory's <c>ConfigFields</c> against its <c>Validate</c> (tests/Shared's <see cref="ConfigFieldsContract"/>):
/// declared Required keys are exactly those refused when missing, a config built only from declared keys is accepted,
/// and Secret marks exactly the keys read from credentials.
/// </summary>
public sealed class WeChatConfigFieldsTests
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
        ConfigFieldsContract.AssertRequiredAreWhatAnEmptyChannelIsRefusedFor(factory);

        // Secret exactly where Validate reads credentials (empty or complete); the rest exactly where it reads config.
        var empty = ConfigFieldsContract.ReadByAnEmptyChannel(factory);
        var complete = ConfigFieldsContract.AssertValid(factory, ValidValues);
        Assert.Equal(ConfigFieldsContract.Declared(factory, secret: true), empty.Credentials.Union(complete.Credentials).Order(StringComparer.Ordinal));
        Assert.Equal(ConfigFieldsContract.Declared(factory, secret: false), empty.Config.Union(complete.Config).Order(StringComparer.Ordinal));
    }
}
