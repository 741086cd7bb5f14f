using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Discord.Tests.Fakes;
using ClawScale.Plugins.Discord.Tests.Support;
using ClawScale.Protos.V1;
using Grpc.Core;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// Discord through the real kernel: the real Discord plugin from plugins.json, started by the ChannelSupervisor after
/// CreateChannel, connects to a fake Gateway v10 (Kestrel WebSockets on 127.0.0.1) and replies through a fake REST API;
/// slash commands arrive on the channel's webhook route signed with a generated Ed25519 key. Payloads are Discord's
/// documented shapes (linked from the plugin's test project), the agent is echo, the database SQLite.
/// </summary>
public sealed class DiscordPipelineTests
{
    /// <summary>Discord's token shape: base64 of the bot id, a timestamp part, an HMAC part.</summary>
    private const string BotToken = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GhXyZa.Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo";
    private const string BotUserId = "1100000000000000001";
    private const string ApplicationId = "1100000000000000001";
    private const string GuildChannel = "1323456789012340002";

    [Fact]
    public async Task Gateway_mention_is_answered_once_in_reply_and_bot_messages_and_replays_are_not()
    {
        await using var t = await Setup.StartAsync();
        await t.WaitForReadyAsync();

        var identify = t.Gateway.Current.Identify!.Value;
        Assert.Equal(BotToken, identify.GetProperty("token").GetString());

        // Another bot, even one that mentions ours, is never answered.
        var fromBot = Payload("message_from_bot");
        fromBot["mentions"] = new JsonArray(new JsonObject { ["id"] = BotUserId, ["username"] = "clawbot", ["bot"] = true, ["discriminator"] = "0" });
        fromBot["content"] = $"<@{BotUserId}> ping from a bot";
        await t.Gateway.DispatchAsync("MESSAGE_CREATE", fromBot.ToJsonString());

        // A user mentions the bot in a guild channel; then the same message arrives again (as in a resume replay).
        var mention = Payload("message_guild_mention").ToJsonString();
        await t.Gateway.DispatchAsync("MESSAGE_CREATE", mention);
        var last = await t.Gateway.DispatchAsync("MESSAGE_CREATE", mention);

        // The listener heartbeats its last accepted sequence: once it reports `last`, every dispatch was handled.
        await Eventually.TrueAsync(() => t.Gateway.Current.Heartbeats.Any(h => h >= last), $"a heartbeat acknowledging sequence {last}");
        await Eventually.TrueAsync(() => t.Rest.CallsTo("POST", "/channels/").Count > 0, "POST /channels/{id}/messages");
        await t.WaitForIdleAsync();

        var post = Assert.Single(t.Rest.CallsTo("POST", "/channels/"));
        Assert.Equal($"/channels/{GuildChannel}/messages", post.Path);
        Assert.Equal("Bot " + BotToken, post.Authorization);
        var json = post.Json!.Value;
        // The bot's mention is stripped; the echo agent also counts the message's attachment (notes.png).
        Assert.Equal("echo: summarize this thread please\nreceived 1 attachment", json.GetProperty("content").GetString());
        Assert.Equal("1323456789012345002", json.GetProperty("message_reference").GetProperty("message_id").GetString());
        Assert.Empty(t.Rest.CallsTo("PATCH", "/webhooks/"));

        var turn = Assert.Single((await t.Kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), t.Auth)).Turns);
        Assert.Equal(TurnStatus.Completed, turn.Status);
        var delivery = Assert.Single((await t.Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), t.Auth)).Deliveries);
        Assert.Equal(DeliveryStatus.Delivered, delivery.Status);
        t.Kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_message_lost_with_the_connection_is_replayed_on_resume_and_answered_once()
    {
        await using var t = await Setup.StartAsync();
        await t.WaitForReadyAsync();
        var first = t.Gateway.Current;

        // The message never reaches the listener on this connection; Discord then asks the client to reconnect (op 7).
        var mention = Payload("message_guild_mention").ToJsonString();
        var lost = await t.Gateway.DispatchAsync("MESSAGE_CREATE", mention, lost: true);
        await t.Gateway.SendReconnectAsync();

        // The listener resumes on READY's resume_gateway_url from the last sequence it saw; the fake replays the message.
        await Eventually.TrueAsync(() => t.Gateway.Connections.Any(c => c.Resume is not null), "the listener to resume");
        var resumed = t.Gateway.Current;
        Assert.NotSame(first, resumed);
        Assert.Equal("/resume", resumed.Path);
        Assert.Equal(FakeDiscordGateway.SessionId, resumed.Resume!.Value.GetProperty("session_id").GetString());
        Assert.Equal(lost - 1, resumed.Resume!.Value.GetProperty("seq").GetInt64());
        Assert.Null(resumed.Identify);

        // The replayed message is answered.
        await Eventually.TrueAsync(() => t.Rest.CallsTo("POST", "/channels/").Count > 0, "POST /channels/{id}/messages");

        // Discord may deliver it yet again after the resume: still one reply.
        var last = await t.Gateway.DispatchAsync("MESSAGE_CREATE", mention);
        await Eventually.TrueAsync(() => resumed.Heartbeats.Any(h => h >= last), $"a heartbeat acknowledging sequence {last}");
        await t.WaitForIdleAsync();

        var post = Assert.Single(t.Rest.CallsTo("POST", "/channels/"));
        Assert.Equal("1323456789012345002", post.Json!.Value.GetProperty("message_reference").GetProperty("message_id").GetString());
        Assert.Single((await t.Kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), t.Auth)).Turns);
        t.Kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Interactions_are_verified_pinged_and_a_command_reply_edits_the_deferred_response()
    {
        await using var t = await Setup.StartAsync();
        using var http = new HttpClient { BaseAddress = t.Kernel.HttpAddress };

        // PING, as Discord sends when the Interactions Endpoint URL is saved.
        using (var ping = await http.SendAsync(t.Signed(Payloads("interaction_ping"))))
        {
            Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
            Assert.Equal(1, JsonDocument.Parse(await ping.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetInt32());
        }

        // A command signed by another key: 401 and nothing stored.
        var command = Payloads("interaction_command");
        var forger = new Ed25519TestKey();
        var timestamp = Timestamp();
        using (var forged = Request(t.Channel.WebhookPath, command, timestamp, forger.Sign(timestamp, Encoding.UTF8.GetBytes(command))))
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged)).StatusCode);
        // The genuine signature over a different body is just as wrong.
        using (var tampered = Request(t.Channel.WebhookPath, command.Replace("capital of France", "capital of Spain", StringComparison.Ordinal), timestamp, t.Key.Sign(timestamp, Encoding.UTF8.GetBytes(command))))
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(tampered)).StatusCode);
        Assert.Empty((await t.Kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), t.Auth)).Turns);

        // The genuine command: deferred at once, answered by editing the original response.
        using (var deferred = await http.SendAsync(t.Signed(command)))
        {
            Assert.Equal(HttpStatusCode.OK, deferred.StatusCode);
            Assert.Equal(5, JsonDocument.Parse(await deferred.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetInt32());
        }

        var token = JsonDocument.Parse(command).RootElement.GetProperty("token").GetString();
        var original = $"/webhooks/{ApplicationId}/{token}/messages/@original";
        await Eventually.TrueAsync(() => t.Rest.CallsTo("PATCH", original).Count > 0, "PATCH " + original);
        await t.WaitForIdleAsync();

        var edit = Assert.Single(t.Rest.CallsTo("PATCH", "/webhooks/"));
        Assert.Equal(original, edit.Path);
        Assert.StartsWith("echo: /ask what is the capital of France?", edit.Json!.Value.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Empty(t.Rest.CallsTo("POST", "/webhooks/"));
        Assert.Empty(t.Rest.CallsTo("POST", "/channels/"));
        Assert.Single((await t.Kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), t.Auth)).Turns);
        t.Kernel.AssertNoUnexpectedErrors();
    }

    private static JsonObject Payload(string name) => JsonNode.Parse(Payloads(name))!.AsObject();

    private static string Payloads(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "Discord", name + ".json"), Encoding.UTF8);

    private static string Timestamp() => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static HttpRequestMessage Request(string path, string body, string timestamp, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Signature-Ed25519", signature);
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        return request;
    }

    /// <summary>The fakes, a kernel on SQLite, a tenant with the echo agent as its default, and a Discord channel wired to the fakes.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private Setup(FakeDiscordRest rest, FakeDiscordGateway gateway, KernelHost kernel, Metadata auth, Channel channel, Ed25519TestKey key)
        {
            Rest = rest;
            Gateway = gateway;
            Kernel = kernel;
            Auth = auth;
            Channel = channel;
            Key = key;
        }

        public FakeDiscordRest Rest { get; }
        public FakeDiscordGateway Gateway { get; }
        public KernelHost Kernel { get; }
        public Metadata Auth { get; }
        public Channel Channel { get; }
        public Ed25519TestKey Key { get; }

        public static async Task<Setup> StartAsync()
        {
            var rest = await FakeDiscordRest.StartAsync(BotToken);
            var gateway = await FakeDiscordGateway.StartAsync(BotToken, Payloads("ready"));
            // Frequent heartbeats: their sequence number tells the test how far the listener got (no sleeps). Not much
            // shorter: a listener that misses an ACK within one interval treats the connection as a zombie and resumes
            // (as Discord asks), and on a loaded machine 250 ms made that happen at random, replacing the connection
            // a test was watching.
            gateway.HeartbeatIntervalMs = 1500;
            var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
            var (_, secret) = await kernel.CreateTenantAsync();
            var auth = KernelHost.Auth(secret);
            var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
            await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
            var key = new Ed25519TestKey();
            var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
            {
                Kind = "discord",
                DisplayName = "Discord bot",
                Config =
                {
                    ["api_base_url"] = rest.BaseUrl.AbsoluteUri,
                    ["gateway_url"] = gateway.Url.AbsoluteUri,
                    ["application_id"] = ApplicationId,
                    ["public_key"] = key.PublicKeyHex,
                },
                Credentials = { ["bot_token"] = BotToken },
            }, auth)).Channel;
            return new Setup(rest, gateway, kernel, auth, channel, key);
        }

        public HttpRequestMessage Signed(string body)
        {
            var timestamp = Timestamp();
            return Request(Channel.WebhookPath, body, timestamp, Key.Sign(timestamp, Encoding.UTF8.GetBytes(body)));
        }

        /// <summary>Waits until the listener identified and handled READY (it heartbeats READY's sequence number).</summary>
        public async Task WaitForReadyAsync()
        {
            await Eventually.TrueAsync(() => Gateway.Connections.Any(c => c.Identify is not null), "the listener to identify");
            await Eventually.TrueAsync(() => Gateway.Current.Heartbeats.Any(h => h >= 1), "a heartbeat after READY");
            await Eventually.TrueAsync(
                async () => (await Kernel.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = Channel.Id }, Auth)).Channel.Status == ChannelStatus.Connected,
                "the channel to be connected");
        }

        /// <summary>Waits until every turn of the tenant finished and every delivery was delivered or given up.</summary>
        public Task WaitForIdleAsync() => Eventually.TrueAsync(async () =>
                (await Kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), Auth)).Turns.All(x => x.Status is TurnStatus.Completed or TurnStatus.Failed)
                && (await Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), Auth)).Deliveries.All(d => d.Status is DeliveryStatus.Delivered or DeliveryStatus.Dead),
            "the tenant's pipeline to be idle");

        public async ValueTask DisposeAsync()
        {
            await Kernel.DisposeAsync();
            await Gateway.DisposeAsync();
            await Rest.DisposeAsync();
        }
    }
}
