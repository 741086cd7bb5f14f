using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Signal.Tests.Fakes;
using ClawScale.Plugins.Signal.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Signal.Tests;

/// <summary>The adapter against the fake signal-cli-rest-api on 127.0.0.1: connect, both listeners, sends.</summary>
public sealed class SignalAdapterTests
{
    private static OutboundMessage Reply(string chat, string text = "echo: hi") => new()
    {
        DeliveryId = "dl_1",
        IdempotencyKey = "key_1",
        ExternalChatId = chat,
        Text = text,
        ReplyToPlatformMessageId = "1745372297238",
        Properties = new Dictionary<string, string> { [SignalMapper.QuoteAuthorProperty] = "+4915112345678" },
    };

    [Fact]
    public async Task Polling_listener_hands_messages_to_the_sink_and_skips_the_rest()
    {
        await using var fake = await FakeSignalRestApi.StartAsync();
        using var channel = new SignalTestChannel();
        await using var adapter = channel.Create(fake.BaseUrl);
        await adapter.ConnectAsync(CancellationToken.None);
        var sink = new RecordingSink();
        using var stop = new CancellationTokenSource();
        var listening = adapter.RunListenerAsync(sink, stop.Token);

        fake.Enqueue(SignalTestChannel.Payload("typing"));
        fake.Enqueue(SignalTestChannel.Payload("direct_text"));
        fake.Enqueue(SignalTestChannel.Payload("receipt"));
        await SignalTestChannel.WaitUntilAsync(() => sink.Accepted.Count == 1, "the direct message");
        Assert.Equal("+4915112345678:1745372297238", sink.Accepted[0].ProviderMessageId);
        Assert.Contains(fake.Receives, r => r.Path.StartsWith("/v1/receive/+4930901820?timeout=1", StringComparison.Ordinal));
        await SignalTestChannel.WaitUntilAsync(() => channel.Status.ConnectedReports == 1, "connected");

        await stop.CancelAsync();
        await listening;
        Assert.Single(sink.Accepted);
    }

    [Fact]
    public async Task A_batch_the_sink_refuses_is_offered_again_because_signal_cli_already_removed_it()
    {
        await using var fake = await FakeSignalRestApi.StartAsync();
        using var channel = new SignalTestChannel();
        await using var adapter = channel.Create(fake.BaseUrl);
        var sink = new RecordingSink(failFirstCalls: 1);
        using var stop = new CancellationTokenSource();
        var listening = adapter.RunListenerAsync(sink, stop.Token);

        fake.Enqueue(SignalTestChannel.Payload("direct_text"));
        await SignalTestChannel.WaitUntilAsync(() => sink.Accepted.Count == 1, "the message accepted on the second offer");
        Assert.Equal(2, sink.Batches.Count);
        Assert.Equal(0, fake.Pending);
        await stop.CancelAsync();
        await listening;
    }

    [Fact]
    public async Task WebSocket_listener_receives_frames_in_json_rpc_mode()
    {
        await using var fake = await FakeSignalRestApi.StartAsync("json-rpc");
        using var channel = new SignalTestChannel();
        await using var adapter = channel.Create(fake.BaseUrl, mode: "websocket", token: "proxy-token");
        fake.RequiredToken = "proxy-token";
        await adapter.ConnectAsync(CancellationToken.None);
        var sink = new RecordingSink();
        using var stop = new CancellationTokenSource();
        var listening = adapter.RunListenerAsync(sink, stop.Token);

        await SignalTestChannel.WaitUntilAsync(() => fake.OpenSockets == 1, "the WebSocket");
        fake.Enqueue(SignalTestChannel.Payload("group_mention"));
        await SignalTestChannel.WaitUntilAsync(() => sink.Accepted.Count == 1, "the group mention");
        Assert.Equal("what is the weather in Paris?", sink.Accepted[0].Text);
        Assert.Equal("Bearer proxy-token", Assert.Single(fake.Receives).Authorization);
        await stop.CancelAsync();
        await listening;
    }

    [Fact]
    public async Task Connect_refuses_polling_against_a_json_rpc_server_and_says_what_to_set()
    {
        await using var fake = await FakeSignalRestApi.StartAsync("json-rpc");
        using var channel = new SignalTestChannel();
        await using var adapter = channel.Create(fake.BaseUrl);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await adapter.ConnectAsync(CancellationToken.None));
        Assert.Contains("set config.mode to websocket", ex.Message, StringComparison.Ordinal);
        Assert.Contains(channel.Status.Errors, e => e.Contains("websocket", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_posts_v2_send_with_quote_and_reports_the_timestamp()
    {
        await using var fake = await FakeSignalRestApi.StartAsync();
        using var channel = new SignalTestChannel();
        await using var adapter = channel.Create(fake.BaseUrl);
        var result = await adapter.SendAsync(Reply("group.UG1waStFZlBXbXN4aW9tTGU5TngyWEY5SE9FNDgzcDZpS2lGajY1aU13ST0="), CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.NotNull(result.ProviderMessageId);
        var send = Assert.Single(fake.Sends);
        Assert.Equal("echo: hi", send.Field("message"));
        Assert.Equal(SignalTestChannel.BotNumber, send.Field("number"));
        Assert.Equal("[\"group.UG1waStFZlBXbXN4aW9tTGU5TngyWEY5SE9FNDgzcDZpS2lGajY1aU13ST0=\"]", send.Field("recipients"));
        Assert.Equal("1745372297238", send.Field("quote_timestamp"));
        Assert.Equal("+4915112345678", send.Field("quote_author"));
    }

    [Fact]
    public async Task Rate_limit_429_is_a_retry_after_the_proxys_Retry_After()
    {
        await using var fake = await FakeSignalRestApi.StartAsync();
        using var channel = new SignalTestChannel();
        await using var adapter = channel.Create(fake.BaseUrl);
        // signal-cli-rest-api api.go SendV2: 429 with SendMessageError {error, challenge_tokens, account}.
        fake.FailNextSends(1, 429, """{"error":"Failed to send message due to rate limiting. Use the attached challenge tokens to lift the rate limit restrictions via the '/v1/accounts/{number}/rate-limit-challenge' endpoint.","challenge_tokens":["0a1b2c3d-token"],"account":"+4930901820"}""", retryAfterSeconds: 7);
        var result = await adapter.SendAsync(Reply("+4915112345678"), CancellationToken.None);
        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Contains("rate-limit-challenge", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unregistered_recipient_400_is_a_dead_letter_quoting_the_error()
    {
        await using var fake = await FakeSignalRestApi.StartAsync();
        using var channel = new SignalTestChannel();
        await using var adapter = channel.Create(fake.BaseUrl);
        fake.FailNextSends(1, 400, """{"error":"Failed to send message: +4915112345678: Unregistered user"}""");
        var result = await adapter.SendAsync(Reply("+4915112345678"), CancellationToken.None);
        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("Unregistered user", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_proxy_token_is_a_dead_letter_and_stops_the_listener()
    {
        await using var fake = await FakeSignalRestApi.StartAsync();
        fake.RequiredToken = "right";
        using var channel = new SignalTestChannel();
        await using var adapter = channel.Create(fake.BaseUrl, token: "wrong");
        var result = await adapter.SendAsync(Reply("+4915112345678"), CancellationToken.None);
        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("api_token", result.Error, StringComparison.Ordinal);

        await adapter.RunListenerAsync(new RecordingSink(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(channel.Status.Errors, e => e.Contains("credentials.api_token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhook_calls_are_refused_with_404()
    {
        await using var fake = await FakeSignalRestApi.StartAsync();
        using var channel = new SignalTestChannel();
        await using var adapter = channel.Create(fake.BaseUrl);
        var result = await adapter.HandleWebhookAsync(new WebhookRequest { Method = "POST", Headers = new Dictionary<string, string>() }, CancellationToken.None);
        Assert.True(result.IsRejected);
        Assert.Equal(404, result.StatusCode);
    }
}
