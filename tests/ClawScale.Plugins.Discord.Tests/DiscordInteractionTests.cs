using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Discord.Tests.Fakes;
using ClawScale.Plugins.Discord.Tests.Support;
using ClawScale.Plugins.Messages;
using Xunit;

namespace ClawScale.Plugins.Discord.Tests;

public sealed class DiscordInteractionTests : IAsyncLifetime
{
    private readonly TestChannel _channel = new();
    private readonly Ed25519TestKey _key = new();
    private FakeDiscordRest _rest = null!;

    public async Task InitializeAsync() => _rest = await FakeDiscordRest.StartAsync(TestChannel.Token);

    public async Task DisposeAsync()
    {
        await _rest.DisposeAsync();
        _channel.Dispose();
    }

    [Fact]
    public async Task A_signed_ping_is_answered_with_a_pong()
    {
        await using var adapter = _channel.Create(_rest.BaseUrl, publicKeyHex: _key.PublicKeyHex);

        var result = await adapter.HandleWebhookAsync(_key.Request(Payloads.Read("interaction_ping")), CancellationToken.None);

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("application/json", result.ContentType);
        Assert.Equal("""{"type":1}""", Encoding.UTF8.GetString(result.ResponseBody.Span));
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task A_tampered_body_a_wrong_key_or_missing_headers_get_401_and_nothing_is_accepted()
    {
        await using var adapter = _channel.Create(_rest.BaseUrl, publicKeyHex: _key.PublicKeyHex);
        var body = Payloads.Read("interaction_command");
        var signedForOther = _key.Sign("1735732800", Encoding.UTF8.GetBytes(body.Replace("ask", "ban", StringComparison.Ordinal)));
        var otherKey = new Ed25519TestKey();

        WebhookRequest[] requests =
        [
            _key.Request(body, signature: signedForOther),
            otherKey.Request(body),
            _key.Request(body, withHeaders: false),
            _key.Request(body, signature: "zz"),
        ];
        foreach (var request in requests)
        {
            var result = await adapter.HandleWebhookAsync(request, CancellationToken.None);
            Assert.True(result.IsRejected);
            Assert.Equal(401, result.StatusCode);
            Assert.Empty(result.Messages);
        }

        // The same body, correctly signed, is accepted: the rejections above were about the signature alone.
        Assert.Single((await adapter.HandleWebhookAsync(_key.Request(body), CancellationToken.None)).Messages);
    }

    [Fact]
    public async Task A_correctly_signed_interaction_with_a_timestamp_more_than_5_minutes_off_is_refused_as_a_replay()
    {
        await using var adapter = _channel.Create(_rest.BaseUrl, publicKeyHex: _key.PublicKeyHex);
        var body = Payloads.Read("interaction_command");
        var now = _channel.Time.GetUtcNow().ToUnixTimeSeconds();
        string At(long seconds) => seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Signed by the right key over its own timestamp: only the age is wrong.
        foreach (var timestamp in new[] { At(now - 301), At(now + 301), At(now - 86_400), "not-a-number" })
        {
            var result = await adapter.HandleWebhookAsync(_key.Request(body, timestamp), CancellationToken.None);
            Assert.True(result.IsRejected, timestamp);
            Assert.Equal(401, result.StatusCode);
            Assert.Empty(result.Messages);
            Assert.Contains("X-Signature-Timestamp", result.Reason, StringComparison.Ordinal);
        }

        // Within 5 minutes either way it is accepted.
        Assert.Single((await adapter.HandleWebhookAsync(_key.Request(body, At(now - 299)), CancellationToken.None)).Messages);
        Assert.Single((await adapter.HandleWebhookAsync(_key.Request(body, At(now + 299)), CancellationToken.None)).Messages);
    }

    [Fact]
    public async Task Without_a_configured_public_key_interactions_are_refused()
    {
        await using var adapter = _channel.Create(_rest.BaseUrl);
        var result = await adapter.HandleWebhookAsync(_key.Request(Payloads.Read("interaction_ping")), CancellationToken.None);
        Assert.Equal(401, result.StatusCode);
        Assert.Contains("config.public_key", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slash_command_is_deferred_and_the_reply_edits_the_original_response_then_follows_up()
    {
        await using var adapter = _channel.Create(_rest.BaseUrl, publicKeyHex: _key.PublicKeyHex);

        var result = await adapter.HandleWebhookAsync(_key.Request(Payloads.Read("interaction_command")), CancellationToken.None);

        Assert.Equal("""{"type":5}""", Encoding.UTF8.GetString(result.ResponseBody.Span));
        var inbound = Assert.Single(result.Messages);
        Assert.Equal("/ask what is the capital of France? 2", inbound.Text);
        Assert.Empty(_rest.Calls);

        var longAnswer = "Paris. " + new string('x', 2500);
        var sent = await adapter.SendAsync(new OutboundMessage
        {
            DeliveryId = "dl_1",
            IdempotencyKey = "idem_1",
            ExternalChatId = inbound.ExternalChatId,
            Text = longAnswer,
            Properties = inbound.Properties,
        }, CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, sent.Outcome);
        var token = inbound.Properties[DiscordMapper.InteractionTokenProperty];
        var edit = Assert.Single(_rest.CallsTo("PATCH", $"/webhooks/1100000000000000001/{token}/messages/@original"));
        var followUps = _rest.CallsTo("POST", $"/webhooks/1100000000000000001/{token}");
        Assert.Null(edit.Authorization);
        Assert.Equal("Paris.", edit.Json!.Value.GetProperty("content").GetString());
        Assert.Equal([2000, 500], followUps.Select(f => f.Json!.Value.GetProperty("content").GetString()!.Length));
        Assert.Empty(_rest.CallsTo("POST", "/channels/"));
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_interaction_token_falls_back_to_the_channel()
    {
        await using var adapter = _channel.Create(_rest.BaseUrl, publicKeyHex: _key.PublicKeyHex);
        var inbound = Assert.Single((await adapter.HandleWebhookAsync(_key.Request(Payloads.Read("interaction_command")), CancellationToken.None)).Messages);
        _rest.Script(FakeDiscordRest.Error(404, 10015, "Unknown Webhook"));

        var sent = await adapter.SendAsync(new OutboundMessage { DeliveryId = "dl_2", IdempotencyKey = "idem_2", ExternalChatId = inbound.ExternalChatId, Text = "late answer", Properties = inbound.Properties }, CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, sent.Outcome);
        Assert.Single(_rest.CallsTo("POST", "/channels/1323456789012340002/messages"));
    }
}
