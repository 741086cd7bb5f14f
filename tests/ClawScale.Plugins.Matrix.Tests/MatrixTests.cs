using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Matrix.Model;
using ClawScale.Plugins.Matrix.Tests.Fakes;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ClawScale.Plugins.Matrix.Tests;

/// <summary>Mapper rules on the documented events (Payloads/SOURCES.md) and the adapter against the fake homeserver.</summary>
public sealed class MatrixTests
{
    private const string Bot = "@clawbot:example.org";
    private const string Room = "!jEsUZKDJdhlrceRyVU:example.org";

    private static string Payload(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json"));

    private static MatrixEvent Event(string name) => JsonSerializer.Deserialize<MatrixEvent>(Payload(name))!;

    [Fact]
    public void Spec_text_message_maps_with_event_id_as_dedup_key()
    {
        var message = MatrixMapper.TryMap(Event("text"), Room, Bot, "ClawBot", isGroup: false, answerAllGroupMessages: false, out _)!;
        Assert.Equal("$143273582443PhrSn:example.org", message.ProviderMessageId);
        Assert.Equal(Room, message.ExternalChatId);
        Assert.Equal("@example:example.org", message.Sender.Value);
        Assert.Equal("This is an example text message", message.Text);
        Assert.Equal(ChatKind.Direct, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1432735824653), message.SentAt);
    }

    [Fact]
    public void In_rooms_of_more_than_two_only_mentions_are_addressed_and_the_mention_is_removed()
    {
        Assert.False(MatrixMapper.TryMap(Event("text"), Room, Bot, "ClawBot", true, false, out _)!.AddressedToBot);
        Assert.True(MatrixMapper.TryMap(Event("text"), Room, Bot, "ClawBot", true, true, out _)!.AddressedToBot);
        var mention = MatrixMapper.TryMap(Event("mention"), Room, Bot, "ClawBot", true, false, out _)!;
        Assert.True(mention.AddressedToBot);
        Assert.Equal("what is the weather in Paris?", mention.Text);
        var legacy = MatrixMapper.TryMap(Event("legacy_mention"), Room, Bot, "ClawBot", true, false, out _)!;
        Assert.True(legacy.AddressedToBot);
        Assert.Equal("are you there?", legacy.Text);
    }

    [Theory]
    [InlineData("notice")]
    [InlineData("edit")]
    [InlineData("from_bot")]
    public void Notices_edits_and_the_bots_own_events_are_ignored(string name)
    {
        Assert.Null(MatrixMapper.TryMap(Event(name), Room, Bot, "ClawBot", false, false, out var reason));
        Assert.NotNull(reason);
    }

    [Theory]
    [InlineData(429, "M_LIMIT_EXCEEDED", SendOutcome.Retry)]
    [InlineData(500, null, SendOutcome.Retry)]
    [InlineData(0, null, SendOutcome.Retry)]
    [InlineData(403, "M_FORBIDDEN", SendOutcome.PermanentFailure)]
    [InlineData(401, "M_UNKNOWN_TOKEN", SendOutcome.PermanentFailure)]
    [InlineData(400, "M_BAD_JSON", SendOutcome.PermanentFailure)]
    public void Send_errors_map_to_retry_or_dead_letter(int status, string? errcode, SendOutcome outcome)
    {
        var result = MatrixMapper.ToFailedSendResult(new MatrixApiResult<MatrixEventIdResponse> { StatusCode = status, ErrCode = errcode, Error = "x", RetryAfter = status == 429 ? TimeSpan.FromMilliseconds(2000) : null });
        Assert.Equal(outcome, result.Outcome);
        if (status == 429) Assert.Equal(TimeSpan.FromMilliseconds(2000), result.RetryAfter);
    }

    [Fact]
    public void Options_report_every_problem_and_credentials_are_required()
    {
        var problems = new MatrixChannelAdapterFactory().Validate(new Dictionary<string, string> { ["group_replies"] = "some", ["homserver_url"] = "x" }, new Dictionary<string, string>());
        Assert.Contains(problems, p => p.StartsWith("credentials.access_token is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.homeserver_url: required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.group_replies:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.homserver_url: unknown setting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Listener_skips_history_stores_since_and_resumes_from_it_without_loss_or_replay()
    {
        await using var fake = await FakeMatrixHomeserver.StartAsync();
        fake.AddRoom(Room, 2);
        fake.Post(Room, Payload("text")); // history: before the bot started
        var checkpoint = new MemoryCheckpoint();
        var status = new RecordingStatusSink();
        using var http = new HttpClient();

        var sink = new RecordingSink();
        await RunUntilAsync(fake, http, checkpoint, status, sink, async () =>
        {
            await WaitAsync(() => checkpoint.Value is not null, "the first checkpoint");
            fake.Post(Room, Payload("legacy_mention"));
            await WaitAsync(() => sink.Accepted.Count == 1, "the live message");
            await WaitAsync(() => checkpoint.Value!.Contains("\"s2\"", StringComparison.Ordinal), "the checkpoint after it");
        });
        Assert.Equal("$143273582443PhrSl:example.org", Assert.Single(sink.Accepted).ProviderMessageId);

        // Stopped; a message arrives meanwhile; a new adapter resumes from the stored since.
        fake.Post(Room, Payload("mention"));
        var second = new RecordingSink();
        await RunUntilAsync(fake, http, checkpoint, status, second, () => WaitAsync(() => second.Accepted.Count == 1, "the message sent while stopped"));
        Assert.Equal("$143273582443PhrSm:example.org", Assert.Single(second.Accepted).ProviderMessageId);
        Assert.Equal("s2", fake.Syncs.Last(s => s.Since is not null && s.Since != "s3").Since);
    }

    [Fact]
    public async Task Send_uses_the_idempotency_key_as_txn_id_and_replies_to_the_event()
    {
        await using var fake = await FakeMatrixHomeserver.StartAsync();
        using var http = new HttpClient();
        await using var adapter = Create(fake, http, new MemoryCheckpoint(), new RecordingStatusSink());
        var message = new OutboundMessage { DeliveryId = "dl1", IdempotencyKey = "idem-1", ExternalChatId = Room, Text = "echo: hi", ReplyToPlatformMessageId = "$143273582443PhrSn:example.org" };
        var first = await adapter.SendAsync(message, CancellationToken.None);
        var again = await adapter.SendAsync(message, CancellationToken.None);
        Assert.Equal(SendOutcome.Delivered, first.Outcome);
        Assert.Equal(first.ProviderMessageId, again.ProviderMessageId); // the homeserver's transaction idempotency
        var send = fake.Sends[0];
        Assert.Equal(("idem-1", Room), (send.TxnId, send.RoomId));
        Assert.Equal("$143273582443PhrSn:example.org", send.InReplyTo);
        Assert.Equal("m.text", send.Field("msgtype"));

        fake.FailNextSends(1, 429, """{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2000}""");
        var limited = await adapter.SendAsync(message with { IdempotencyKey = "idem-2" }, CancellationToken.None);
        Assert.Equal(SendOutcome.Retry, limited.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(2), limited.RetryAfter);
    }

    private static MatrixChannelAdapter Create(FakeMatrixHomeserver fake, HttpClient http, IListenerCheckpoint checkpoint, IChannelStatusSink status) =>
        (MatrixChannelAdapter)new MatrixChannelAdapterFactory().Create(new ChannelContext
        {
            ChannelId = "ch_matrix",
            TenantId = "tn_test",
            Config = new Dictionary<string, string> { ["homeserver_url"] = fake.BaseUrl.AbsoluteUri, ["sync_timeout_seconds"] = "1" },
            Credentials = new Dictionary<string, string> { ["access_token"] = fake.Token },
            WebhookSecret = "unused",
            HttpClient = http,
            Logger = NullLogger.Instance,
            StatusSink = status,
            ListenerCheckpoint = checkpoint,
        });

    private static async Task RunUntilAsync(FakeMatrixHomeserver fake, HttpClient http, IListenerCheckpoint checkpoint, IChannelStatusSink status, IInboundSink sink, Func<Task> until)
    {
        await using var adapter = Create(fake, http, checkpoint, status);
        await adapter.ConnectAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var listening = adapter.RunListenerAsync(sink, stop.Token);
        await until();
        await stop.CancelAsync();
        await listening;
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(10);
        }
    }

    private sealed class MemoryCheckpoint : IListenerCheckpoint
    {
        private volatile string? _value;

        public string? Value => _value;

        public ValueTask<string?> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_value);

        public ValueTask WriteAsync(string value, CancellationToken cancellationToken)
        {
            _value = value;
            return ValueTask.CompletedTask;
        }
    }
}
