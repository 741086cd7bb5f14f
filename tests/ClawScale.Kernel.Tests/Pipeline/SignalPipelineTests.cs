using System.Net;
using Microsoft.EntityFrameworkCore;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Signal.Tests.Fakes;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// Signal end to end: documented receive items (tests/ClawScale.Plugins.Signal.Tests/Payloads, shapes from
/// signal-cli-rest-api's swagger) served by a fake signal-cli-rest-api on 127.0.0.1, polled by the real Signal plugin's
/// listener in the real kernel, answered by the echo agent, and the reply POSTed to the fake's <c>/v2/send</c>.
/// </summary>
public abstract class SignalPipelineTests(ListenerKernelFixture fixture)
{
    private const string Ada = "+4915112345678";
    private const string Group = "group.UG1waStFZlBXbXN4aW9tTGU5TngyWEY5SE9FNDgzcDZpS2lGajY1aU13ST0=";

    private static string Payload(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "Signal", name + ".json"));

    private static async Task<(ListenerChannelWorld World, FakeSignalRestApi Fake)> StartAsync(KernelHost kernel, string mode = "normal")
    {
        var fake = await FakeSignalRestApi.StartAsync(mode);
        var world = await ListenerChannelWorld.StartAsync(kernel, "signal", new Dictionary<string, string>
        {
            ["api_base_url"] = fake.BaseUrl.AbsoluteUri,
            ["number"] = "+4930901820",
            ["mode"] = mode == "json-rpc" ? "websocket" : "polling",
            ["receive_timeout_seconds"] = "1",
        }, new Dictionary<string, string>());
        return (world, fake);
    }

    private static IReadOnlyList<FakeSignalCall> SendsTo(FakeSignalRestApi fake, string recipient) =>
        fake.Sends.Where(s => s.Recipients.SequenceEqual([recipient])).ToList();

    [SkippableFact]
    public async Task Direct_message_gets_one_quoted_echo_reply()
    {
        var (t, fake) = await StartAsync(fixture.Host);
        await using var _ = fake;
        fake.Enqueue(Payload("direct_text"));
        await t.WaitForDeliveredAsync(1);
        var send = Assert.Single(SendsTo(fake, Ada));
        Assert.Equal("echo: Hello, can you summarise my notes?", send.Field("message"));
        Assert.Equal("1745372297238", send.Field("quote_timestamp"));
        Assert.Equal(Ada, send.Field("quote_author"));
        Assert.Equal("+4930901820", send.Field("number"));
        await t.WaitIdleAsync();
        Assert.Single(fake.Sends);
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Group_message_is_answered_only_when_it_mentions_the_bot()
    {
        var (t, fake) = await StartAsync(fixture.Host);
        await using var _ = fake;
        fake.Enqueue(Payload("group_no_mention"));
        fake.Enqueue(Payload("group_mention"));
        await t.WaitForDeliveredAsync(1);
        var send = Assert.Single(SendsTo(fake, Group));
        Assert.Equal("echo: what is the weather in Paris?", send.Field("message"));
        await t.WaitIdleAsync();
        Assert.Single(fake.Sends);
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Same_message_received_twice_is_answered_once()
    {
        var (t, fake) = await StartAsync(fixture.Host);
        await using var _ = fake;
        fake.Enqueue(Payload("direct_text"));
        await t.WaitForDeliveredAsync(1);
        fake.Enqueue(Payload("direct_text")); // same source and timestamp
        await ListenerChannelWorld.Until(() => Task.FromResult(fake.Pending == 0), "the duplicate to be received");
        await Task.Delay(300);
        await t.WaitIdleAsync();
        Assert.Single(fake.Sends);
        Assert.Equal(1, await t.QueryAsync(db => db.Turns.CountAsync(x => x.TenantId == t.TenantId)));
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Rate_limit_429_is_retried_after_Retry_After_and_delivered_once()
    {
        var (t, fake) = await StartAsync(fixture.Host);
        await using var _ = fake;
        fake.FailNextSends(1, 429, """{"error":"Failed to send message due to rate limiting","challenge_tokens":["0a1b2c3d-token"],"account":"+4930901820"}""", retryAfterSeconds: 1);
        fake.Enqueue(Payload("direct_text"));
        var delivery = await t.WaitForDeliveryAsync(DeliveryStatus.Delivered);
        Assert.Equal(2, delivery.Attempts);
        var sends = SendsTo(fake, Ada);
        Assert.Equal(2, sends.Count);
        Assert.True(sends[1].ReceivedAt - sends[0].ReceivedAt >= TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(1), "the retry came before Retry-After");
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Unregistered_recipient_400_is_a_dead_letter()
    {
        var (t, fake) = await StartAsync(fixture.Host);
        await using var _ = fake;
        fake.FailAllSends(400, """{"error":"Failed to send message: +4915112345678: Unregistered user"}""");
        fake.Enqueue(Payload("direct_text"));
        var dead = await t.WaitForDeliveryAsync(DeliveryStatus.Dead);
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("Unregistered user", dead.LastError, StringComparison.Ordinal);
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Json_rpc_mode_receives_over_the_WebSocket()
    {
        var (t, fake) = await StartAsync(fixture.Host, "json-rpc");
        await using var _ = fake;
        await ListenerChannelWorld.Until(() => Task.FromResult(fake.OpenSockets == 1), "the receive WebSocket");
        fake.Enqueue(Payload("direct_text"));
        await t.WaitForDeliveredAsync(1);
        Assert.Equal("echo: Hello, can you summarise my notes?", Assert.Single(SendsTo(fake, Ada)).Field("message"));
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task A_webhook_call_to_a_signal_channel_is_refused_and_nothing_is_stored()
    {
        var (t, fake) = await StartAsync(fixture.Host);
        await using var _ = fake;
        // Signal has no webhooks (and so no signature): whatever is POSTed to the route is refused, nothing is stored.
        Assert.Equal(HttpStatusCode.NotFound, await t.PostWebhookAsync(Payload("direct_text")));
        await t.AssertNothingStoredAsync();
        await t.StopAsync();
        t.AssertNoUnexpectedErrors();
    }
}

public sealed class SignalPipelineSqliteTests(SqliteListenerKernelFixture fixture) : SignalPipelineTests(fixture), IClassFixture<SqliteListenerKernelFixture>;

public sealed class SignalPipelinePostgresTests(PostgresListenerKernelFixture fixture) : SignalPipelineTests(fixture), IClassFixture<PostgresListenerKernelFixture>;
