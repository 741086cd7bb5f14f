namespace ClawScale.Plugins.Mattermost.Tests;

/// <summary>
/// The factory's <c>ConfigFields</c> against its <c>Validate</c> (tests/Shared's <see cref="ConfigFieldsContract"/>):
/// declared Required keys are exactly those refused when missing, a config built only from declared keys is accepted,
/// and Secret marks exactly the keys read from credentials.
/// </summary>
public sealed class MattermostConfigFieldsTests
{
    /// <summary>A valid value for every key the plugin accepts.</summary>
    private static readonly Dictionary<string, string> ValidValues = new()
    {
        ["webhook_token"] = "zmigewsanbbsdf59xnmduzypjc",
        ["bot_token"] = "9xuqwrwgstrb3mzrxb83nb357a",
        ["server_url"] = "https://mattermost.example.com",
        ["bot_user_id"] = "rbyq8r7ahbfe3b3u6axrzdeo4a",
        ["bot_username"] = "clawbot",
        ["reply_in_thread"] = "false",
        ["answer_all_messages"] = "true",
        ["request_timeout_seconds"] = "15",
    };

    [Fact]
    public void The_declared_config_fields_match_what_Validate_requires_accepts_and_reads_from_credentials()
    {
        var factory = new MattermostChannelAdapterFactory();
        ConfigFieldsContract.AssertRequiredAreWhatAnEmptyChannelIsRefusedFor(factory);

        // Secret exactly where Validate reads credentials (empty or complete); the rest exactly where it reads config.
        var empty = ConfigFieldsContract.ReadByAnEmptyChannel(factory);
        var complete = ConfigFieldsContract.AssertValid(factory, ValidValues);
        Assert.Equal(ConfigFieldsContract.Declared(factory, secret: true), empty.Credentials.Union(complete.Credentials).Order(StringComparer.Ordinal));
        Assert.Equal(ConfigFieldsContract.Declared(factory, secret: false), empty.Config.Union(complete.Config).Order(StringComparer.Ordinal));
    }
}
