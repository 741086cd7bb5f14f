using System.Text;
using ClawScale.Plugins.Evolution.Tests.Support;
using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.Evolution.Tests;

/// <summary>
/// The webhook side of the Evolution adapter with bodies in the shape Evolution sends (Payloads/SOURCES.md): the token
/// check (query, bearer header or the body's apikey), direct and group messages, the group addressing rule, and the
/// events that are ignored.
/// </summary>
public sealed class EvolutionWebhookTests : IDisposable
{
    private readonly TestChannel _channel = new();

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task A_direct_text_becomes_one_direct_message_keyed_on_the_message_id()
    {
        var result = await _channel.Create().HandleWebhookAsync(_channel.Post(TestChannel.Payload("direct_text")), default);

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        var message = Assert.Single(result.Messages);
        Assert.Equal("3EB0B430B6F8F1D0E053AC120E0A9E5C1A7A6AE0", message.ProviderMessageId);
        Assert.Equal("5511912345678@s.whatsapp.net", message.ExternalChatId);
        Assert.Equal(ChatKind.Direct, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("Olá! Vocês abrem no sábado?", message.Text);
        Assert.Equal("whatsapp", message.Sender.Provider);
        Assert.Equal("wa_id", message.Sender.IdentityType);
        Assert.Equal("5511912345678", message.Sender.Value);
        Assert.Equal("Maria Souza", message.Sender.DisplayName);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1717689097), message.SentAt);
    }

    [Fact]
    public async Task In_a_group_a_plain_message_is_not_addressed_but_a_mention_or_a_reply_to_the_bot_is()
    {
        var adapter = _channel.Create();

        var plain = Assert.Single((await adapter.HandleWebhookAsync(_channel.Post(TestChannel.Payload("group_plain")), default)).Messages);
        Assert.Equal(ChatKind.Group, plain.ChatKind);
        Assert.Equal("120363025246125486@g.us", plain.ExternalChatId);
        Assert.Equal("5511912345678", plain.Sender.Value);
        Assert.False(plain.AddressedToBot);

        var mention = Assert.Single((await adapter.HandleWebhookAsync(_channel.Post(TestChannel.Payload("group_mention")), default)).Messages);
        Assert.True(mention.AddressedToBot);
        Assert.Equal("qual é o horário de sábado?", mention.Text);

        var reply = Assert.Single((await adapter.HandleWebhookAsync(_channel.Post(TestChannel.Payload("group_reply_to_bot")), default)).Messages);
        Assert.True(reply.AddressedToBot);
        Assert.Equal("5521998877665", reply.Sender.Value);
        Assert.Equal("BAE594145F4C59B4", reply.Properties["evolution.quoted_id"]);
    }

    [Fact]
    public async Task A_mention_of_a_configured_lid_counts_as_a_mention_of_the_bot()
    {
        var body = Encoding.UTF8.GetString(TestChannel.Payload("group_mention")).Replace("\"5511987654321@s.whatsapp.net\"\n", "\"171234567890123@lid\"\n", StringComparison.Ordinal);
        Assert.Contains("171234567890123@lid", body, StringComparison.Ordinal);

        var without = Assert.Single((await _channel.Create().HandleWebhookAsync(_channel.Post(Encoding.UTF8.GetBytes(body)), default)).Messages);
        Assert.False(without.AddressedToBot);
        var with = Assert.Single((await _channel.Create(botJids: "171234567890123@lid").HandleWebhookAsync(_channel.Post(Encoding.UTF8.GetBytes(body)), default)).Messages);
        Assert.True(with.AddressedToBot);
    }

    [Theory]
    [InlineData("from_me")]
    [InlineData("connection_update")]
    public async Task The_bots_own_messages_and_other_events_are_acknowledged_and_ignored(string payload)
    {
        var result = await _channel.Create().HandleWebhookAsync(_channel.Post(TestChannel.Payload(payload)), default);

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task An_event_of_another_instance_is_ignored()
    {
        var result = await _channel.Create(instance: "other").HandleWebhookAsync(_channel.Post(TestChannel.Payload("direct_text")), default);
        Assert.False(result.IsRejected);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task The_token_may_come_as_a_bearer_header_or_as_the_bodys_apikey()
    {
        var adapter = _channel.Create();
        var bearer = await adapter.HandleWebhookAsync(_channel.Post(TestChannel.Payload("direct_text"), query: string.Empty,
            headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + TestChannel.WebhookSecret }), default);
        Assert.Single(bearer.Messages);

        // No query or header token: the body's apikey (the instance token, AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES=true) matches credentials.api_key.
        var apikey = await adapter.HandleWebhookAsync(_channel.Post(TestChannel.Payload("direct_text"), query: string.Empty), default);
        Assert.Single(apikey.Messages);
    }

    [Fact]
    public async Task Without_a_valid_token_the_call_is_refused_with_401_and_nothing_accepted()
    {
        var adapter = _channel.Create(apiKey: "another-instance-token");
        var body = TestChannel.Payload("direct_text");

        foreach (var request in new[]
        {
            _channel.Post(body, query: string.Empty),
            _channel.Post(body, query: "?token=wrong"),
            _channel.Post(body, query: string.Empty, headers: new Dictionary<string, string> { ["Authorization"] = "Bearer wrong" }),
            _channel.Post("not json"u8.ToArray(), query: string.Empty),
        })
        {
            var result = await adapter.HandleWebhookAsync(request, default);
            Assert.True(result.IsRejected);
            Assert.Equal(401, result.StatusCode);
            Assert.Empty(result.Messages);
        }

        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains(TestChannel.WebhookSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_valid_token_with_a_body_that_is_not_json_is_refused_with_400()
    {
        var result = await _channel.Create().HandleWebhookAsync(_channel.Post("{\"event\":"u8.ToArray()), default);
        Assert.Equal(400, result.StatusCode);
    }

    [Fact]
    public void The_factory_reports_every_missing_setting()
    {
        var factory = new EvolutionChannelAdapterFactory();
        var problems = factory.Validate(new Dictionary<string, string> { ["bot_jids"] = "12345" }, new Dictionary<string, string>());

        Assert.Contains(problems, p => p.StartsWith("config.base_url", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.instance", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.bot_jids", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.api_key", StringComparison.Ordinal));
        Assert.Equal(["base_url"], factory.EndpointConfigKeys);
    }
}
