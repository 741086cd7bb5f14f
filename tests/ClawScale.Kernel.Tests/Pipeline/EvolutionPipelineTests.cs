using System.Net;
using System.Text;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Evolution.Tests.Fakes;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// WhatsApp through Evolution API, through the real kernel: <c>messages.upsert</c> webhooks in the shape Evolution sends
/// (Payloads/Evolution, see SOURCES.md there) on <c>/webhooks/{channelId}?token={webhook secret}</c> answered by the echo
/// agent with <c>sendText</c> at a local fake Evolution server, a repeated event answered once, a group message answered
/// only when it mentions the bot (quoting it), the bot's own echo ignored, and a call without a valid token refused with
/// nothing stored.
/// </summary>
public sealed class EvolutionPipelineTests
{
    private const string WebhookSecret = "evo-webhook-secret-7f3a9c";

    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_direct_message_is_answered_once_and_a_call_without_the_token_stores_nothing(string provider)
    {
        await using var evolution = await FakeEvolutionApi.StartAsync(apiKey: "9F2C4B7E1A3D4C6F8E0B2D4F6A8C0E1B");
        await using var kernel = await KernelHost.StartAsync(await DatabaseAsync(provider));
        // The instance token is not the one in the payloads' apikey field: only the URL token authenticates here.
        var (auth, channel) = await SetUpAsync(kernel, evolution);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        var body = await ReadAsync("direct_text.json");

        using (var noToken = await http.PostAsync(channel.WebhookPath, Json(body)))
            Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        using (var wrongToken = await http.PostAsync(channel.WebhookPath + "?token=guess", Json(body)))
            Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Empty((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);

        var url = channel.WebhookPath + "?token=" + WebhookSecret;
        using (var first = await http.PostAsync(url, Json(body)))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var again = await http.PostAsync(url, Json(body)))
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        // Evolution also reports the bot's own reply as messages.upsert with fromMe: true; it is ignored.
        using (var echo = await http.PostAsync(url, Json(await ReadAsync("from_me.json"))))
            Assert.Equal(HttpStatusCode.OK, echo.StatusCode);

        await WaitDeliveredAsync(kernel, auth);
        var send = Assert.Single(evolution.Sends);
        Assert.Equal("clawbot", send.Instance);
        Assert.Equal(evolution.ApiKey, send.ApiKey);
        Assert.Equal("5511912345678@s.whatsapp.net", send.Field("number"));
        Assert.Equal("echo: Olá! Vocês abrem no sábado?", send.Field("text"));
        Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task In_a_group_only_the_message_that_mentions_the_bot_is_answered_quoting_it()
    {
        await using var evolution = await FakeEvolutionApi.StartAsync(apiKey: "9F2C4B7E1A3D4C6F8E0B2D4F6A8C0E1B");
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (auth, channel) = await SetUpAsync(kernel, evolution);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        var url = channel.WebhookPath + "?token=" + WebhookSecret;

        using (var plain = await http.PostAsync(url, Json(await ReadAsync("group_plain.json"))))
            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        using (var mention = await http.PostAsync(url, Json(await ReadAsync("group_mention.json"))))
            Assert.Equal(HttpStatusCode.OK, mention.StatusCode);

        await WaitDeliveredAsync(kernel, auth);
        var send = Assert.Single(evolution.Sends);
        Assert.Equal("120363025246125486@g.us", send.Field("number"));
        Assert.Equal("echo: qual é o horário de sábado?", send.Field("text"));
        Assert.Equal("3EB0F2A1C9D84E6B7A21", send.Field("quoted", "key", "id"));
        Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_send_refused_while_the_phone_reconnects_is_retried_and_delivered()
    {
        await using var evolution = await FakeEvolutionApi.StartAsync(apiKey: "9F2C4B7E1A3D4C6F8E0B2D4F6A8C0E1B");
        evolution.FailNextSend(500, FakeEvolutionApi.Error(500, "Internal Server Error", "Connection Closed"), retryAfterSeconds: 1);
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (auth, channel) = await SetUpAsync(kernel, evolution);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };

        using (var response = await http.PostAsync(channel.WebhookPath + "?token=" + WebhookSecret, Json(await ReadAsync("direct_text.json"))))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await WaitDeliveredAsync(kernel, auth);
        var delivery = Assert.Single((await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries);
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal(2, evolution.Sends.Count);
        kernel.AssertNoUnexpectedErrors();
    }

    /// <summary>SQLite, or a fresh PostgreSQL database when CLAWSCALE_TEST_POSTGRES is set (skipped otherwise).</summary>
    private static async Task<TestDatabase> DatabaseAsync(string provider)
    {
        if (provider == "sqlite") return TestDatabase.Sqlite();
        Skip.If(TestEnvironment.PostgresConnectionString is null && !TestEnvironment.Require("POSTGRES"), "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES.");
        return await TestDatabase.PostgresAsync();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task WaitDeliveredAsync(KernelHost kernel, global::Grpc.Core.Metadata auth) =>
        await Eventually.TrueAsync(
            async () => (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries is { Count: > 0 } d && d.All(x => x.Status == DeliveryStatus.Delivered),
            "the reply delivered");

    private static Task<string> ReadAsync(string name) => File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Payloads", "Evolution", name));

    private static async Task<(global::Grpc.Core.Metadata Auth, Channel Channel)> SetUpAsync(KernelHost kernel, FakeEvolutionApi evolution)
    {
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "evolution",
            DisplayName = "WhatsApp (Evolution)",
            Config = { ["base_url"] = evolution.BaseUrl.ToString(), ["instance"] = evolution.Instance },
            Credentials = { ["api_key"] = evolution.ApiKey },
            WebhookSecret = WebhookSecret,
        }, auth)).Channel;
        return (auth, channel);
    }
}
