using ClawScale.Plugins.Slack.Tests.Fakes;
using ClawScale.Plugins.Slack.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Slack.Tests;

public sealed class SlackSocketModeTests : IAsyncLifetime
{
    private readonly TestChannel _channel = new();
    private readonly CancellationTokenSource _stop = new();
    private FakeSlackApi _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlackApi.StartAsync(TestChannel.BotToken, TestChannel.AppToken, TestChannel.BotUserId);

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _slack.DisposeAsync();
        _stop.Dispose();
        _channel.Dispose();
    }

    private SlackChannelAdapter CreateSocketAdapter(string appToken = TestChannel.AppToken) => _channel.Create(_slack.ApiBaseUrl, mode: "socket", appToken: appToken);

    [Fact]
    public async Task The_WebSocket_is_opened_through_the_channels_HttpClient_and_a_refusal_says_why()
    {
        // The kernel's HttpClient refuses non-public targets; this handler refuses every WebSocket handshake the same way.
        using var channel = new TestChannel(new RefuseWebSocketsHandler());
        await using var adapter = channel.Create(_slack.ApiBaseUrl, mode: "socket");
        var listener = adapter.RunListenerAsync(new RecordingSink(), _stop.Token);

        await TestChannel.WaitUntilAsync(() => channel.Logger.Lines.Any(l => l.Contains(RefuseWebSocketsHandler.Reason, StringComparison.Ordinal)), "the refusal logged");
        var line = channel.Logger.Lines.First(l => l.Contains(RefuseWebSocketsHandler.Reason, StringComparison.Ordinal));
        Assert.Contains("WebSocket connect failed", line, StringComparison.Ordinal);
        Assert.Single(_slack.CallsTo("apps.connections.open"));
        Assert.Empty(_slack.Connections);

        await _stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_events_api_envelope_is_accepted_then_acknowledged()
    {
        var sink = new RecordingSink();
        await using var adapter = CreateSocketAdapter();
        Assert.True(adapter.UsesListener);
        var listener = adapter.RunListenerAsync(sink, _stop.Token);
        var connection = await _slack.WaitForConnectionAsync(1);
        await TestChannel.WaitUntilAsync(() => _channel.Status.ConnectedReports == 1, "connected on hello");

        await connection.SendEventAsync("env-001", Payloads.Read("dm_message"));
        await TestChannel.WaitUntilAsync(() => connection.Acks.Count == 1, "the ack");

        Assert.Equal("env-001", connection.Acks[0]);
        var message = Assert.Single(sink.Accepted);
        Assert.Equal("D0DMCHAN01:1735732800.000200", message.ProviderMessageId);
        Assert.Equal("Bearer " + TestChannel.AppToken, Assert.Single(_slack.CallsTo("apps.connections.open")).Authorization);

        await _stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_ack_is_sent_only_after_the_sink_returns()
    {
        var sink = new RecordingSink();
        sink.Hold();
        await using var adapter = CreateSocketAdapter();
        var listener = adapter.RunListenerAsync(sink, _stop.Token);
        var connection = await _slack.WaitForConnectionAsync(1);

        await connection.SendEventAsync("env-002", Payloads.Read("channel_app_mention"));
        await TestChannel.WaitUntilAsync(() => sink.Batches.Count == 1, "the sink called");
        // The sink is still storing: a later ignored envelope cannot overtake it either, the loop is sequential.
        await connection.SendEventAsync("env-003", Payloads.Read("bot_message"));
        await Task.Yield();
        Assert.Empty(connection.Acks);

        sink.Release();
        await TestChannel.WaitUntilAsync(() => connection.Acks.Count == 2, "both acks");
        Assert.Equal(["env-002", "env-003"], connection.Acks);
        Assert.Single(sink.Accepted);

        await _stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_failing_sink_leaves_the_envelope_unacknowledged_and_slacks_redelivery_is_accepted_once()
    {
        var sink = new RecordingSink(failFirstCalls: 1);
        await using var adapter = CreateSocketAdapter();
        var listener = adapter.RunListenerAsync(sink, _stop.Token);
        var connection = await _slack.WaitForConnectionAsync(1);

        await connection.SendEventAsync("env-004", Payloads.Read("dm_message"));
        await TestChannel.WaitUntilAsync(() => sink.Batches.Count == 1, "the failing accept");
        await connection.SendEventAsync("env-005", Payloads.Read("thread_reply"));
        await TestChannel.WaitUntilAsync(() => connection.Acks.Count == 1, "the next envelope acked");
        Assert.Equal(["env-005"], connection.Acks);

        // Slack redelivers the unacknowledged envelope (retry_attempt 1).
        await connection.SendEventAsync("env-004", Payloads.Read("dm_message"), retryAttempt: 1);
        await TestChannel.WaitUntilAsync(() => connection.Acks.Count == 2, "the redelivery acked");

        Assert.Equal(["env-005", "env-004"], connection.Acks);
        Assert.Equal(["C0GENERAL1:1735733000.000400", "D0DMCHAN01:1735732800.000200"], sink.Accepted.Select(m => m.ProviderMessageId));

        await _stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Disconnect_reconnects_with_a_fresh_url_and_nothing_is_lost_or_duplicated()
    {
        var sink = new RecordingSink();
        await using var adapter = CreateSocketAdapter();
        var listener = adapter.RunListenerAsync(sink, _stop.Token);
        var first = await _slack.WaitForConnectionAsync(1);
        await first.SendEventAsync("env-010", Payloads.Read("dm_message"));
        await TestChannel.WaitUntilAsync(() => first.Acks.Count == 1, "first ack");

        await first.SendDisconnectAsync("refresh_requested");
        var second = await _slack.WaitForConnectionAsync(2);
        await first.Closed.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, _slack.CallsTo("apps.connections.open").Count);
        Assert.NotEqual(first.Ticket, second.Ticket);
        await second.SendEventAsync("env-011", Payloads.Read("channel_app_mention"));
        await TestChannel.WaitUntilAsync(() => second.Acks.Count == 1, "second ack");

        Assert.Equal(["D0DMCHAN01:1735732800.000200", "C0GENERAL1:1735732900.000300"], sink.Accepted.Select(m => m.ProviderMessageId));
        Assert.Equal(["env-010"], first.Acks);
        Assert.Equal(["env-011"], second.Acks);
        Assert.Equal(2, _channel.Status.ConnectedReports);

        await _stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_socket_without_hello_is_dropped_after_the_silence_window_and_reopened()
    {
        _slack.SendHello = false;
        var sink = new RecordingSink();
        await using var adapter = CreateSocketAdapter();
        var listener = adapter.RunListenerAsync(sink, _stop.Token);
        var silent = await _slack.WaitForConnectionAsync(1);

        var waited = await _channel.AdvancePastNextDelayAsync(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(30), waited);
        await silent.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(_slack.CallsTo("apps.connections.open"));

        // Reconnects after a jittered backoff on the channel clock (0.5–1 s for the first failure).
        _slack.SendHello = true;
        await _channel.AdvancePastNextDelayAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
        var second = await _slack.WaitForConnectionAsync(2);
        Assert.Equal(2, _slack.CallsTo("apps.connections.open").Count);

        await second.SendEventAsync("env-020", Payloads.Read("dm_message"));
        await TestChannel.WaitUntilAsync(() => second.Acks.Count == 1, "ack on the new socket");
        Assert.Single(sink.Accepted);
        Assert.Empty(silent.Acks);

        await _stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_rejected_app_token_reports_an_error_and_stops_the_listener()
    {
        await using var adapter = CreateSocketAdapter(appToken: "xapp-1-revoked");
        await adapter.RunListenerAsync(new RecordingSink(), _stop.Token).WaitAsync(TimeSpan.FromSeconds(10));

        var error = Assert.Single(_channel.Status.Errors);
        Assert.Contains("credentials.app_token", error, StringComparison.Ordinal);
        Assert.Empty(_slack.Connections);
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains("xapp-1-revoked", StringComparison.Ordinal) || l.Contains(TestChannel.BotToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_transient_open_failure_backs_off_and_retries()
    {
        _slack.OpenConnectionError = "internal_error";
        await using var adapter = CreateSocketAdapter();
        var listener = adapter.RunListenerAsync(new RecordingSink(), _stop.Token);
        await TestChannel.WaitUntilAsync(() => _slack.CallsTo("apps.connections.open").Count == 1, "first open");
        _slack.OpenConnectionError = null;

        await _channel.AdvancePastNextDelayAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
        await _slack.WaitForConnectionAsync(1);
        Assert.Empty(_channel.Status.Errors);

        await _stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Passes Web API calls through and fails WebSocket handshakes as a refused connection.</summary>
    private sealed class RefuseWebSocketsHandler() : DelegatingHandler(new HttpClientHandler())
    {
        public const string Reason = "refused by the test's network guard";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.Headers.Upgrade.Any(u => string.Equals(u.Name, "websocket", StringComparison.OrdinalIgnoreCase))
                ? throw new HttpRequestException(HttpRequestError.ConnectionError, Reason)
                : base.SendAsync(request, cancellationToken);
    }
}
