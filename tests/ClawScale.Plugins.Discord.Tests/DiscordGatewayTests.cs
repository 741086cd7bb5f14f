using ClawScale.Plugins.Discord.Tests.Fakes;
using ClawScale.Plugins.Discord.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Discord.Tests;

public sealed class DiscordGatewayTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(41250);
    private static readonly TimeSpan FirstBeat = Interval * 0.5;
    private readonly TestChannel _channel = new();
    private readonly CancellationTokenSource _stop = new();
    private FakeDiscordGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeDiscordGateway.StartAsync(TestChannel.Token, Payloads.Read("ready"));

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _gateway.DisposeAsync();
        _stop.Dispose();
        _channel.Dispose();
    }

    private async Task<(DiscordChannelAdapter Adapter, Task Listener)> StartAsync(RecordingSink sink, string token = TestChannel.Token)
    {
        var adapter = _channel.Create(gatewayUrl: _gateway.Url, token: token);
        var listener = adapter.RunListenerAsync(sink, _stop.Token);
        await TestChannel.WaitUntilAsync(() => _gateway.Connections.Count >= 1, "a first connection");
        return (adapter, listener);
    }

    private async Task StopAsync(DiscordChannelAdapter adapter, Task listener)
    {
        await _stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));
        await adapter.DisposeAsync();
    }

    [Fact]
    public async Task The_Gateway_WebSocket_is_opened_through_the_channels_HttpClient()
    {
        // The kernel's HttpClient refuses non-public targets; this handler refuses every WebSocket handshake the same way.
        using var channel = new TestChannel(new RefuseWebSocketsHandler());
        await using var adapter = channel.Create(gatewayUrl: _gateway.Url);
        var listener = adapter.RunListenerAsync(new RecordingSink(), _stop.Token);

        await TestChannel.WaitUntilAsync(() => channel.Logger.Lines.Any(l => l.Contains(RefuseWebSocketsHandler.Reason, StringComparison.Ordinal)), "the refusal logged");
        Assert.Contains(channel.Logger.Lines, l => l.Contains(" 4214 ", StringComparison.Ordinal) && l.Contains(RefuseWebSocketsHandler.Reason, StringComparison.Ordinal));
        Assert.Empty(_gateway.Connections);

        await _stop.CancelAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Identifies_with_token_intents_and_properties_and_reports_connected_on_ready()
    {
        var (adapter, listener) = await StartAsync(new RecordingSink());
        await TestChannel.WaitUntilAsync(() => _channel.Status.ConnectedReports == 1, "READY");

        var connection = _gateway.Current;
        Assert.Equal("/gateway", connection.Path);
        Assert.Contains("v=10", connection.Query, StringComparison.Ordinal);
        Assert.Contains("encoding=json", connection.Query, StringComparison.Ordinal);
        var identify = connection.Identify!.Value;
        Assert.Equal(TestChannel.Token, identify.GetProperty("token").GetString());
        Assert.Equal((1 << 9) | (1 << 12) | (1 << 15), identify.GetProperty("intents").GetInt32());
        Assert.Equal("clawscale", identify.GetProperty("properties").GetProperty("browser").GetString());
        Assert.True(identify.GetProperty("properties").TryGetProperty("os", out _));
        Assert.True(identify.GetProperty("properties").TryGetProperty("device", out _));
        Assert.Equal(TestChannel.BotUserId, adapter.BotUserId);
        await StopAsync(adapter, listener);
    }

    [Fact]
    public async Task Heartbeats_start_after_interval_times_jitter_then_every_interval_with_the_last_sequence()
    {
        var sink = new RecordingSink();
        var (adapter, listener) = await StartAsync(sink);
        await TestChannel.WaitUntilAsync(() => _channel.Status.ConnectedReports == 1, "READY");
        Assert.Empty(_gateway.Current.Heartbeats);

        await _channel.AdvanceWhenWaitingAsync(FirstBeat);
        await TestChannel.WaitUntilAsync(() => _gateway.Current.Heartbeats.Count == 1, "the first heartbeat");
        Assert.Equal(1, _gateway.Current.Heartbeats[0]);

        await _gateway.DispatchAsync("MESSAGE_CREATE", Payloads.Read("message_dm"));
        await TestChannel.WaitUntilAsync(() => sink.Batches.Count == 1, "the message");
        await _channel.AdvanceWhenWaitingAsync(Interval);
        await TestChannel.WaitUntilAsync(() => _gateway.Current.Heartbeats.Count == 2, "the second heartbeat");
        Assert.Equal(2, _gateway.Current.Heartbeats[1]);
        Assert.Single(_gateway.Connections);
        await StopAsync(adapter, listener);
    }

    [Fact]
    public async Task Messages_are_accepted_in_order_and_bot_messages_are_ignored()
    {
        var sink = new RecordingSink();
        var (adapter, listener) = await StartAsync(sink);
        await TestChannel.WaitUntilAsync(() => _channel.Status.ConnectedReports == 1, "READY");

        await _gateway.DispatchAsync("MESSAGE_CREATE", Payloads.Read("message_from_bot"));
        await _gateway.DispatchAsync("MESSAGE_CREATE", Payloads.Read("message_from_self"));
        await _gateway.DispatchAsync("TYPING_START", """{"channel_id":"1","user_id":"2","timestamp":1}""");
        await _gateway.DispatchAsync("MESSAGE_CREATE", Payloads.Read("message_guild_mention"));
        await _gateway.DispatchAsync("MESSAGE_CREATE", Payloads.Read("message_dm"));
        await TestChannel.WaitUntilAsync(() => sink.Batches.Count == 2, "two accepted messages");

        Assert.Equal(["1323456789012345002", "1323456789012345001"], sink.Batches.Select(b => Assert.Single(b).ProviderMessageId));
        await StopAsync(adapter, listener);
    }

    [Fact]
    public async Task A_zombie_connection_is_dropped_and_resumed_with_session_and_last_sequence_without_losing_or_repeating_messages()
    {
        var sink = new RecordingSink();
        var (adapter, listener) = await StartAsync(sink);
        await TestChannel.WaitUntilAsync(() => _channel.Status.ConnectedReports == 1, "READY");
        await _gateway.DispatchAsync("MESSAGE_CREATE", Payloads.Read("message_dm"));
        await TestChannel.WaitUntilAsync(() => sink.Batches.Count == 1, "the first message");

        _gateway.AckHeartbeats = false;
        await _channel.AdvanceWhenWaitingAsync(FirstBeat);
        await TestChannel.WaitUntilAsync(() => _gateway.Current.Heartbeats.Count == 1, "an unacknowledged heartbeat");
        // This dispatch never reaches the client: the connection is a zombie.
        await _gateway.DispatchAsync("MESSAGE_CREATE", Payloads.Read("message_guild_mention"), lost: true);
        _gateway.AckHeartbeats = true;
        await _channel.AdvanceWhenWaitingAsync(Interval);

        await TestChannel.WaitUntilAsync(() => _gateway.Connections.Count == 2 && _gateway.Current.Resume is not null, "a resume on a new connection");
        await TestChannel.WaitUntilAsync(() => _channel.Status.ConnectedReports == 2, "RESUMED");
        Assert.Single(_gateway.Connections[0].Heartbeats);
        var resume = _gateway.Current.Resume!.Value;
        Assert.Equal("/resume", _gateway.Current.Path);
        Assert.Null(_gateway.Current.Identify);
        Assert.Equal(TestChannel.Token, resume.GetProperty("token").GetString());
        Assert.Equal(FakeDiscordGateway.SessionId, resume.GetProperty("session_id").GetString());
        Assert.Equal(2, resume.GetProperty("seq").GetInt64());
        await TestChannel.WaitUntilAsync(() => sink.Batches.Count == 2, "the replayed message");
        Assert.Equal(["1323456789012345001", "1323456789012345002"], sink.Batches.Select(b => Assert.Single(b).ProviderMessageId));
        await StopAsync(adapter, listener);
    }

    [Fact]
    public async Task A_message_the_sink_fails_on_is_replayed_by_resuming_from_the_last_accepted_sequence()
    {
        var sink = new RecordingSink(failFirstCalls: 1);
        var (adapter, listener) = await StartAsync(sink);
        await TestChannel.WaitUntilAsync(() => _channel.Status.ConnectedReports == 1, "READY");
        await _gateway.DispatchAsync("MESSAGE_CREATE", Payloads.Read("message_dm"));
        await TestChannel.WaitUntilAsync(() => sink.Batches.Count == 1, "the failing accept");

        await _channel.AdvanceWhenWaitingAsync(TimeSpan.FromMilliseconds(750));
        await TestChannel.WaitUntilAsync(() => sink.Batches.Count == 2, "the replayed message");

        Assert.Equal(1, _gateway.Current.Resume!.Value.GetProperty("seq").GetInt64());
        Assert.All(sink.Batches, b => Assert.Equal("1323456789012345001", Assert.Single(b).ProviderMessageId));
        await StopAsync(adapter, listener);
    }

    [Fact]
    public async Task Op_7_reconnect_resumes()
    {
        var (adapter, listener) = await StartAsync(new RecordingSink());
        await TestChannel.WaitUntilAsync(() => _channel.Status.ConnectedReports == 1, "READY");

        await _gateway.SendReconnectAsync();

        await TestChannel.WaitUntilAsync(() => _gateway.Connections.Count == 2 && _gateway.Current.Resume is not null, "a resume");
        Assert.Equal(FakeDiscordGateway.SessionId, _gateway.Current.Resume!.Value.GetProperty("session_id").GetString());
        Assert.Equal(1, _gateway.Current.Resume!.Value.GetProperty("seq").GetInt64());
        await StopAsync(adapter, listener);
    }

    [Fact]
    public async Task Op_9_not_resumable_waits_then_identifies_anew()
    {
        var (adapter, listener) = await StartAsync(new RecordingSink());
        await TestChannel.WaitUntilAsync(() => _channel.Status.ConnectedReports == 1, "READY");

        await _gateway.SendInvalidSessionAsync(resumable: false);
        await _channel.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(3));

        await TestChannel.WaitUntilAsync(() => _gateway.Connections.Count == 2 && _gateway.Current.Identify is not null, "a new identify");
        Assert.Null(_gateway.Current.Resume);
        Assert.Equal("/gateway", _gateway.Current.Path);
        await TestChannel.WaitUntilAsync(() => _channel.Status.ConnectedReports == 2, "a second READY");
        await StopAsync(adapter, listener);
    }

    [Fact]
    public async Task Close_4004_reports_the_token_and_stops_without_retrying()
    {
        var (adapter, listener) = await StartAsync(new RecordingSink(), token: "MTEwMDAwMDAwMDAwMDAwMDAwMQ.wrong.token");

        await listener.WaitAsync(TimeSpan.FromSeconds(10));

        var error = Assert.Single(_channel.Status.Errors);
        Assert.Contains("4004", error, StringComparison.Ordinal);
        Assert.Contains("credentials.bot_token", error, StringComparison.Ordinal);
        Assert.Single(_gateway.Connections);
        await adapter.DisposeAsync();
    }

    [Fact]
    public async Task Close_4014_says_to_enable_the_message_content_intent_and_stops_without_retrying()
    {
        _gateway.CloseOnIdentify = 4014;
        var (adapter, listener) = await StartAsync(new RecordingSink());

        await listener.WaitAsync(TimeSpan.FromSeconds(10));

        var error = Assert.Single(_channel.Status.Errors);
        Assert.Contains("4014", error, StringComparison.Ordinal);
        Assert.Contains("Message Content intent", error, StringComparison.Ordinal);
        Assert.Single(_gateway.Connections);
        Assert.Equal(0, _channel.Status.ConnectedReports);
        await adapter.DisposeAsync();
    }

    [Fact]
    public async Task Other_closes_resume()
    {
        var (adapter, listener) = await StartAsync(new RecordingSink());
        await TestChannel.WaitUntilAsync(() => _channel.Status.ConnectedReports == 1, "READY");

        await _gateway.CloseAsync(4000);

        await TestChannel.WaitUntilAsync(() => _gateway.Connections.Count == 2 && _gateway.Current.Resume is not null, "a resume after close 4000");
        Assert.Empty(_channel.Status.Errors);
        await StopAsync(adapter, listener);
    }

    /// <summary>Fails WebSocket handshakes as a refused connection.</summary>
    private sealed class RefuseWebSocketsHandler() : DelegatingHandler(new HttpClientHandler())
    {
        public const string Reason = "refused by the test's network guard";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.Headers.Upgrade.Any(u => string.Equals(u.Name, "websocket", StringComparison.OrdinalIgnoreCase))
                ? throw new HttpRequestException(HttpRequestError.ConnectionError, Reason)
                : base.SendAsync(request, cancellationToken);
    }
}
