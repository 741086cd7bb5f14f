using ClawScale.Plugins.Telegram.Tests.Fakes;
using ClawScale.Plugins.Telegram.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Telegram.Tests;

public sealed class TelegramPollingTests : IAsyncLifetime
{
    private readonly TestChannel _channel = new();
    private readonly CancellationTokenSource _stop = new();
    private FakeTelegramBotApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeTelegramBotApi.StartAsync(TestChannel.Token);

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _api.DisposeAsync();
        _stop.Dispose();
        _channel.Dispose();
    }

    [Fact]
    public async Task Updates_reach_the_sink_in_order_and_the_offset_then_moves_past_them()
    {
        _api.EnqueueUpdate(Payloads.Read("private_text"));
        _api.EnqueueUpdate(Payloads.Read("edited_message"));
        _api.EnqueueUpdate(Payloads.Read("group_mention"));
        var sink = new RecordingSink();
        await using var adapter = _channel.Create(_api.BaseUrl);

        var listener = adapter.RunListenerAsync(sink, _stop.Token);
        await TestChannel.WaitUntilAsync(() => _api.CallsTo("getUpdates").Count >= 2, "a second getUpdates");

        var batch = Assert.Single(sink.Batches);
        Assert.Equal(["734012001", "734012002"], batch.Select(m => m.ProviderMessageId));
        var calls = _api.CallsTo("getUpdates");
        Assert.False(calls[0].Json!.Value.TryGetProperty("offset", out _));
        Assert.Equal(1, calls[0].Json!.Value.GetProperty("timeout").GetInt32());
        Assert.Equal(734012010, calls[1].Json!.Value.GetProperty("offset").GetInt64());
        Assert.Empty(_api.PendingUpdateIds);
        Assert.Equal(1, _channel.Status.ConnectedReports);

        await _stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_batch_the_sink_fails_on_is_fetched_again_and_the_offset_does_not_move()
    {
        _api.EnqueueUpdate(Payloads.Read("private_text"));
        var sink = new RecordingSink(failFirstCalls: 1);
        await using var adapter = _channel.Create(_api.BaseUrl);

        var listener = adapter.RunListenerAsync(sink, _stop.Token);
        await TestChannel.WaitUntilAsync(() => sink.Batches.Count == 1, "the first (failing) accept");
        Assert.Single(_api.CallsTo("getUpdates"));
        var delay = await _channel.AdvancePastNextDelayAsync(TimeSpan.FromSeconds(1));
        Assert.InRange(delay, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
        await TestChannel.WaitUntilAsync(() => sink.Batches.Count == 2, "the update fetched again");

        Assert.Equal("734012001", Assert.Single(sink.Batches[1]).ProviderMessageId);
        var calls = _api.CallsTo("getUpdates");
        Assert.False(calls[1].Json!.Value.TryGetProperty("offset", out _));
        await TestChannel.WaitUntilAsync(() => _api.CallsTo("getUpdates").Count >= 3, "a getUpdates after the accepted batch");
        Assert.Equal(734012002, _api.CallsTo("getUpdates")[2].Json!.Value.GetProperty("offset").GetInt64());

        await _stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Rejected_token_reports_an_error_and_stops_the_listener()
    {
        await using var adapter = _channel.Create(_api.BaseUrl, token: "7000000001:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC");
        await adapter.RunListenerAsync(new RecordingSink(), _stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        var error = Assert.Single(_channel.Status.Errors);
        Assert.StartsWith("bot token rejected", error, StringComparison.Ordinal);
        Assert.Single(_api.CallsTo("getUpdates"));
    }

    [Fact]
    public async Task Flood_control_waits_retry_after_on_the_channel_clock()
    {
        _api.FailNextGetUpdates(1, 429, "Too Many Requests: retry after 5", retryAfter: 5);
        _api.EnqueueUpdate(Payloads.Read("private_text"));
        var sink = new RecordingSink();
        await using var adapter = _channel.Create(_api.BaseUrl);

        var listener = adapter.RunListenerAsync(sink, _stop.Token);
        await TestChannel.WaitUntilAsync(() => _channel.Time.PendingDelays.Contains(TimeSpan.FromSeconds(5)), "a 5 s wait");
        Assert.Single(_api.CallsTo("getUpdates"));
        Assert.Empty(sink.Batches);

        _channel.Time.Advance(TimeSpan.FromSeconds(5));
        await TestChannel.WaitUntilAsync(() => sink.Batches.Count == 1, "the update after the wait");

        await _stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Conflict_with_an_active_webhook_is_reported_with_what_to_do_and_retried()
    {
        await using var webhookSetter = _channel.Create(_api.BaseUrl, mode: "webhook", publicWebhookUrl: new Uri("https://claw.example.com/webhooks/ch_test"));
        await webhookSetter.ConnectAsync(CancellationToken.None);
        var sink = new RecordingSink();
        await using var adapter = _channel.Create(_api.BaseUrl);

        var listener = adapter.RunListenerAsync(sink, _stop.Token);
        await TestChannel.WaitUntilAsync(() => _channel.Status.Errors.Count == 1, "a conflict report");
        var error = _channel.Status.Errors[0];
        Assert.Contains("409", error, StringComparison.Ordinal);
        Assert.Contains("webhook", error, StringComparison.Ordinal);
        Assert.Contains("another program polls", error, StringComparison.Ordinal);

        await webhookSetter.DisconnectAsync(CancellationToken.None);
        _api.EnqueueUpdate(Payloads.Read("private_text"));
        await _channel.AdvancePastNextDelayAsync(TimeSpan.FromSeconds(1));
        await TestChannel.WaitUntilAsync(() => sink.Batches.Count == 1, "updates once the webhook is gone");
        Assert.Single(_channel.Status.Errors);

        await _stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
