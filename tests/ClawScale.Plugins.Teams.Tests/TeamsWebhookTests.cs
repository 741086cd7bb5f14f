using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Teams.Tests.Fakes;
using ClawScale.Plugins.Teams.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Teams.Tests;

/// <summary>
/// Activity POSTs through <see cref="TeamsChannelAdapter.HandleWebhookAsync"/>, authenticated against a fake Bot Connector
/// OpenID metadata document and JWKS on 127.0.0.1 (Bot Framework docs "Authentication with the Bot Connector API",
/// "Authenticate requests from the Bot Connector service to your bot": issuer https://api.botframework.com, audience =
/// app id, 5 minutes' clock skew, signature with a listed key, endorsements, serviceurl claim = activity serviceUrl).
/// </summary>
public sealed class TeamsWebhookTests : IAsyncLifetime, IDisposable
{
    private readonly TestChannel _channel = new();
    private FakeBotFramework _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeBotFramework.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _channel.Dispose();

    private DateTimeOffset Now => _channel.Time.GetUtcNow();

    [Fact]
    public async Task A_personal_message_with_a_valid_connector_token_is_accepted_as_a_direct_message()
    {
        var adapter = _channel.Create(_fake);
        var body = Payloads.WithServiceUrl("personal_message", _fake.ServiceUrl);

        var result = await adapter.HandleWebhookAsync(_channel.Post(body, _fake.Token(Now)), default);

        Assert.False(result.IsRejected, result.Reason);
        Assert.Equal(200, result.StatusCode);
        var message = Assert.Single(result.Messages);
        Assert.Equal("a:17I0kl9EkpE1O9PH5TWrzrLNwnWWcfrU7QZjKR0WSfOpzbfcAg2IaydGElSo10tVr4C7Fc6GtieTJX663WuJCc1uA83n4CSrHSgGBj5XNYLcVlJAs2ZX8DbYBPck201w-|1485983408511", message.ProviderMessageId);
        Assert.Equal("1485983408511", message.PlatformMessageId);
        Assert.StartsWith("a:17I0kl9", message.ExternalChatId);
        Assert.Equal(ChatKind.Direct, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("Hello Teams TestBot.Sending bold-italic rich text", message.Text);
        Assert.Empty(message.Attachments);
        Assert.Equal("teams", message.Sender.Provider);
        Assert.Equal("aad_object_id", message.Sender.IdentityType);
        Assert.Equal("7faf8ab2-3d56-4244-b585-20c8a42ed2b8", message.Sender.Value);
        Assert.Equal("Megan Bowen", message.Sender.DisplayName);
        Assert.Equal(_fake.ServiceUrl, message.Properties["service_url"]);
        Assert.Equal("72f988bf-86f1-41af-91ab-2d7cd011db47", message.Properties["tenant_id"]);
        Assert.Equal(new DateTimeOffset(2017, 2, 1, 21, 10, 7, 437, TimeSpan.Zero), message.SentAt);
    }

    [Fact]
    public async Task The_keys_are_fetched_once_and_cached_across_activities()
    {
        var adapter = _channel.Create(_fake);
        var body = Payloads.WithServiceUrl("personal_message", _fake.ServiceUrl);
        for (var i = 0; i < 3; i++)
            Assert.False((await adapter.HandleWebhookAsync(_channel.Post(body, _fake.Token(Now)), default)).IsRejected);
        Assert.Equal(1, _fake.MetadataFetches);
        Assert.Equal(1, _fake.KeyFetches);
    }

    public static TheoryData<string, string> BadTokens => new()
    {
        { "missing", "no Authorization: Bearer token" },
        { "not-a-jwt", "not a JWT" },
        { "wrong-audience", "aud is not this bot's Microsoft App ID" },
        { "wrong-issuer", "iss is not https://api.botframework.com" },
        { "expired-beyond-skew", "expired or not yet valid" },
        { "not-yet-valid-beyond-skew", "expired or not yet valid" },
        { "forged-signature", "signature is not valid" },
        { "unknown-key", "key the Bot Connector's OpenID metadata does not list" },
        { "alg-none", "" },
        { "service-url-mismatch", "serviceurl claim does not match" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_refused_with_401_and_nothing_is_accepted(string kind, string reasonContains)
    {
        var adapter = _channel.Create(_fake);
        var body = Payloads.WithServiceUrl("personal_message", _fake.ServiceUrl);
        using var stranger = new BotFrameworkSigningKey("fake-key-1", "msteams");
        using var unknown = new BotFrameworkSigningKey("unlisted-key", "msteams");
        var token = kind switch
        {
            "missing" => null,
            "not-a-jwt" => "definitely-not-a-jwt",
            "wrong-audience" => _fake.Token(Now, audience: "3f0a9c1e-0000-4000-8000-000000000000"),
            "wrong-issuer" => _fake.Token(Now, issuer: "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"),
            "expired-beyond-skew" => _fake.Token(Now - TimeSpan.FromHours(2), lifetime: TimeSpan.FromHours(2) - TimeSpan.FromMinutes(6)),
            "not-yet-valid-beyond-skew" => _fake.Token(Now, notBeforeOffset: TimeSpan.FromMinutes(6)),
            "forged-signature" => _fake.Token(Now, signWith: stranger),
            "unknown-key" => _fake.Token(Now, key: unknown),
            "alg-none" => _fake.Token(Now, alg: "none"),
            "service-url-mismatch" => _fake.Token(Now, serviceUrl: "https://smba.trafficmanager.net/emea/"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var result = await adapter.HandleWebhookAsync(_channel.Post(body, token), default);

        Assert.True(result.IsRejected);
        Assert.Equal(401, result.StatusCode);
        Assert.Empty(result.Messages);
        Assert.Contains(reasonContains, result.Reason);
        Assert.DoesNotContain(token ?? "\u0000", result.Reason);
        Assert.DoesNotContain(_fake.AppId, result.Reason);
    }

    [Fact]
    public async Task Lifetime_is_checked_on_the_channel_clock_with_five_minutes_of_skew()
    {
        var adapter = _channel.Create(_fake);
        var body = Payloads.WithServiceUrl("personal_message", _fake.ServiceUrl);
        var token = _fake.Token(Now, lifetime: TimeSpan.FromMinutes(10));

        _channel.Time.Advance(TimeSpan.FromMinutes(14));
        Assert.False((await adapter.HandleWebhookAsync(_channel.Post(body, token), default)).IsRejected);

        _channel.Time.Advance(TimeSpan.FromMinutes(2));
        var late = await adapter.HandleWebhookAsync(_channel.Post(body, token), default);
        Assert.Equal(401, late.StatusCode);
        Assert.Contains("expired", late.Reason);
    }

    [Fact]
    public async Task A_new_signing_key_is_picked_up_by_refreshing_the_metadata_once()
    {
        var adapter = _channel.Create(_fake);
        var body = Payloads.WithServiceUrl("personal_message", _fake.ServiceUrl);
        Assert.False((await adapter.HandleWebhookAsync(_channel.Post(body, _fake.Token(Now)), default)).IsRejected);

        var rolled = new BotFrameworkSigningKey("fake-key-2", "msteams");
        _fake.PublishKey(rolled);
        var result = await adapter.HandleWebhookAsync(_channel.Post(body, _fake.Token(Now, key: rolled)), default);

        Assert.False(result.IsRejected, result.Reason);
        Assert.Equal(2, _fake.KeyFetches);

        // Tokens naming unknown keys do not make the plugin fetch the keys again within 5 minutes.
        using var unknown = new BotFrameworkSigningKey("unlisted-key", "msteams");
        for (var i = 0; i < 3; i++)
            Assert.Equal(401, (await adapter.HandleWebhookAsync(_channel.Post(body, _fake.Token(Now, key: unknown)), default)).StatusCode);
        Assert.Equal(2, _fake.KeyFetches);
        _channel.Time.Advance(BotFrameworkAuthenticator.RefreshInterval);
        Assert.Equal(401, (await adapter.HandleWebhookAsync(_channel.Post(body, _fake.Token(Now, key: unknown)), default)).StatusCode);
        Assert.Equal(3, _fake.KeyFetches);
    }

    [Fact]
    public async Task A_key_not_endorsed_for_msteams_is_refused_with_403()
    {
        var adapter = _channel.Create(_fake);
        var skypeOnly = new BotFrameworkSigningKey("skype-only-key", "skype");
        _fake.PublishKey(skypeOnly);
        var body = Payloads.WithServiceUrl("personal_message", _fake.ServiceUrl);

        var result = await adapter.HandleWebhookAsync(_channel.Post(body, _fake.Token(Now, key: skypeOnly)), default);

        Assert.True(result.IsRejected);
        Assert.Equal(403, result.StatusCode);
        Assert.Contains("not endorsed for channel 'msteams'", result.Reason);
    }

    [Fact]
    public async Task Unreachable_metadata_answers_503_so_the_connector_retries()
    {
        _fake.MetadataDown = true;
        var adapter = _channel.Create(_fake);
        var body = Payloads.WithServiceUrl("personal_message", _fake.ServiceUrl);

        var result = await adapter.HandleWebhookAsync(_channel.Post(body, _fake.Token(Now)), default);

        Assert.True(result.IsRejected);
        Assert.Equal(503, result.StatusCode);
        Assert.Contains("config.openid_metadata_url", result.Reason);
        Assert.DoesNotContain("127.0.0.1", result.Reason);
        Assert.Contains(_channel.Logger.Lines, l => l.Contains(" 5623 ", StringComparison.Ordinal) && l.Contains(_fake.OpenIdMetadataUrl.AbsoluteUri, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{not json", "not a Bot Framework activity")]
    [InlineData("[]", "not a Bot Framework activity")]
    [InlineData("{\"type\":\"message\",\"serviceUrl\":\"SERVICE\",\"conversation\":{\"id\":\"a:1\"},\"from\":{\"id\":\"29:1\"}}", "the activity has no id")]
    public async Task A_malformed_body_with_a_valid_token_is_refused_with_400(string body, string reason)
    {
        var adapter = _channel.Create(_fake);
        var bytes = System.Text.Encoding.UTF8.GetBytes(body.Replace("SERVICE", _fake.ServiceUrl, StringComparison.Ordinal));

        var result = await adapter.HandleWebhookAsync(_channel.Post(bytes, _fake.Token(Now)), default);

        Assert.True(result.IsRejected);
        Assert.Equal(400, result.StatusCode);
        Assert.Contains(reason, result.Reason);
    }

    [Fact]
    public async Task A_channel_message_mentioning_the_bot_is_addressed_with_the_mention_removed()
    {
        var adapter = _channel.Create(_fake);
        var body = Payloads.WithServiceUrl("channel_mention", _fake.ServiceUrl);

        var result = await adapter.HandleWebhookAsync(_channel.Post(body, _fake.Token(Now)), default);

        var message = Assert.Single(result.Messages);
        Assert.Equal(ChatKind.Group, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("check out this message", message.Text);
        Assert.Equal("19:aebd0ad4d6ab42c8b9ed19c251c2fc37@thread.skype;messageid=1481567603816", message.ExternalChatId);
        var image = Assert.Single(message.Attachments);
        Assert.Equal(AttachmentKind.Image, image.Kind);
        Assert.Equal("https://upload.wikimedia.org/wikipedia/en/a/a6/Bender_Rodriguez.png", image.Url);
        Assert.Equal("channel", message.Properties["conversation_type"]);
    }

    [Fact]
    public async Task A_group_chat_message_that_mentions_someone_else_is_not_addressed_to_the_bot()
    {
        var adapter = _channel.Create(_fake);
        var body = Payloads.WithServiceUrl("group_mentions_someone_else", _fake.ServiceUrl);

        var result = await adapter.HandleWebhookAsync(_channel.Post(body, _fake.Token(Now)), default);

        var message = Assert.Single(result.Messages);
        Assert.Equal(ChatKind.Group, message.ChatKind);
        Assert.False(message.AddressedToBot);
        Assert.Equal("Hey <at>Pranav Smith</at> check out this message", message.Text);
        Assert.Equal("user_id", message.Sender.IdentityType);
    }

    [Fact]
    public async Task A_conversation_update_is_acknowledged_and_ignored()
    {
        var adapter = _channel.Create(_fake);
        var body = Payloads.WithServiceUrl("bot_added_to_team", _fake.ServiceUrl);

        var result = await adapter.HandleWebhookAsync(_channel.Post(body, _fake.Token(Now)), default);

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        Assert.Empty(result.Messages);
        Assert.Contains("conversationUpdate", result.Reason);
    }

    [Fact]
    public async Task An_authentic_activity_from_a_service_url_outside_the_allow_list_is_accepted_and_logged()
    {
        var adapter = _channel.Create(_fake, c => c["service_url_hosts"] = "smba.trafficmanager.net");
        var body = Payloads.WithServiceUrl("personal_message", _fake.ServiceUrl);

        var result = await adapter.HandleWebhookAsync(_channel.Post(body, _fake.Token(Now)), default);

        Assert.Single(result.Messages);
        Assert.Contains(_channel.Logger.Lines, l => l.Contains(" 5622 ", StringComparison.Ordinal) && l.Contains("config.service_url_hosts", StringComparison.Ordinal));
    }
}
