using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Plugins.Teams.Tests.Fakes;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// Microsoft Teams through the real kernel: the real Teams plugin from plugins.json, activities in the documented Teams
/// shapes (Payloads/Teams, sources in the plugin tests' Payloads/SOURCES.md) POSTed to <c>/webhooks/{channelId}</c> over
/// HTTP with a Bot Connector JWT signed by a test RSA key that a fake OpenID metadata document and JWKS on 127.0.0.1
/// publish (Bot Framework docs "Authentication with the Bot Connector API"), the echo agent, SQLite, and the reply at a
/// fake Connector that only accepts the client-credentials token issued by the fake token endpoint.
/// </summary>
public sealed class TeamsPipelineTests
{
    private const string PersonalConversation = "a:17I0kl9EkpE1O9PH5TWrzrLNwnWWcfrU7QZjKR0WSfOpzbfcAg2IaydGElSo10tVr4C7Fc6GtieTJX663WuJCc1uA83n4CSrHSgGBj5XNYLcVlJAs2ZX8DbYBPck201w-";

    [Fact]
    public async Task A_personal_message_is_answered_once_as_a_reply_and_bad_tokens_store_nothing()
    {
        await using var t = await Setup.StartAsync();
        await Eventually.TrueAsync(
            async () => (await t.Kernel.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = t.Channel.Id }, t.Auth)).Channel.Status == ChannelStatus.Connected,
            "the channel connected (app credentials accepted by the token endpoint)");
        var body = t.Payload("personal_message");
        var now = DateTimeOffset.UtcNow;
        using var stranger = new BotFrameworkSigningKey("fake-key-1", "msteams");

        // Bot Framework authentication: every one of these is refused with 401 and stores nothing.
        foreach (var token in new string?[]
        {
            null,
            t.Fake.Token(now, signWith: stranger),
            t.Fake.Token(now, audience: "3f0a9c1e-0000-4000-8000-000000000000"),
            t.Fake.Token(now, issuer: "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"),
            t.Fake.Token(now - TimeSpan.FromHours(3), lifetime: TimeSpan.FromHours(1)),
            t.Fake.Token(now, serviceUrl: "https://smba.trafficmanager.net/emea/"),
        })
        {
            using var refused = await t.PostAsync(body, token);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Empty((await t.Kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), t.Auth)).Turns);

        // The Connector redelivers the same activity (same id): one turn, one reply.
        using (var first = await t.PostAsync(body, t.Fake.Token(now)))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var again = await t.PostAsync(body, t.Fake.Token(now)))
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        await Eventually.TrueAsync(() => t.Fake.Calls.Count > 0, "a Connector call");
        await Eventually.TrueAsync(
            async () => (await t.Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), t.Auth)).Deliveries.All(d => d.Status == DeliveryStatus.Delivered),
            "every delivery delivered");
        var reply = Assert.Single(t.Fake.Calls);
        Assert.Equal(PersonalConversation, reply.ConversationId);
        Assert.Equal("1485983408511", reply.ReplyToId);
        Assert.StartsWith("Bearer fake-connector-token-", reply.Authorization);
        Assert.Equal("message", reply.Field("type"));
        Assert.Equal("echo: Hello Teams TestBot.Sending bold-italic rich text", reply.Field("text"));
        Assert.Single((await t.Kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), t.Auth)).Turns);
        t.Kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task In_channels_and_group_chats_only_mentions_of_the_bot_are_answered()
    {
        await using var t = await Setup.StartAsync();
        var now = DateTimeOffset.UtcNow;

        foreach (var name in new[] { "group_mentions_someone_else", "bot_added_to_team", "channel_mention" })
        {
            using var response = await t.PostAsync(t.Payload(name), t.Fake.Token(now));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Eventually.TrueAsync(() => t.Fake.Calls.Count > 0, "a Connector call");
        await Eventually.TrueAsync(
            async () => (await t.Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), t.Auth)).Deliveries.All(d => d.Status == DeliveryStatus.Delivered),
            "every delivery delivered");
        var reply = Assert.Single(t.Fake.Calls);
        Assert.Equal("19:aebd0ad4d6ab42c8b9ed19c251c2fc37@thread.skype;messageid=1481567603816", reply.ConversationId);
        Assert.Equal("1481567603816", reply.ReplyToId);
        Assert.StartsWith("echo: check out this message", reply.Field("text"));
        Assert.Single((await t.Kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), t.Auth)).Turns);
        t.Kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Throttling_is_retried_after_Retry_After_and_a_vanished_conversation_is_dead_lettered()
    {
        await using var t = await Setup.StartAsync();
        var now = DateTimeOffset.UtcNow;

        t.Fake.FailNextConnectorCalls(1, 429, "Throttled", retryAfterSeconds: 1);
        using (var response = await t.PostAsync(t.Payload("personal_message"), t.Fake.Token(now)))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.TrueAsync(
            async () => (await t.Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), t.Auth)).Deliveries.SingleOrDefault()?.Status == DeliveryStatus.Delivered,
            "the throttled delivery delivered on retry");
        Assert.Equal([429, 200], t.Fake.Calls.Select(c => c.Status));

        t.Fake.FailNextConnectorCalls(1, 404, "ConversationNotFound");
        using (var response = await t.PostAsync(t.Payload("channel_mention"), t.Fake.Token(now)))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ClawScale.Protos.V1.Delivery? dead = null;
        await Eventually.TrueAsync(async () =>
        {
            dead = (await t.Kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), t.Auth)).Deliveries.FirstOrDefault(d => d.Status == DeliveryStatus.Dead);
            return dead is not null;
        }, "the delivery to a vanished conversation dead-lettered");
        Assert.Equal(1, dead!.Attempts);
        Assert.Contains("ConversationNotFound", dead.LastError);
        Assert.Equal(3, t.Fake.Calls.Count);
        t.Kernel.AssertNoUnexpectedErrors(line => line.Contains("ConversationNotFound", StringComparison.Ordinal) || line.Contains("dead", StringComparison.OrdinalIgnoreCase));
    }

    private sealed class Setup : IAsyncDisposable
    {
        private readonly HttpClient _http;

        private Setup(FakeBotFramework fake, KernelHost kernel, global::Grpc.Core.Metadata auth, Channel channel)
        {
            Fake = fake;
            Kernel = kernel;
            Auth = auth;
            Channel = channel;
            _http = new HttpClient { BaseAddress = kernel.HttpAddress };
        }

        public FakeBotFramework Fake { get; }

        public KernelHost Kernel { get; }

        public global::Grpc.Core.Metadata Auth { get; }

        public Channel Channel { get; }

        public static async Task<Setup> StartAsync()
        {
            var fake = await FakeBotFramework.StartAsync();
            var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
            var (_, key) = await kernel.CreateTenantAsync();
            var auth = KernelHost.Auth(key);
            var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
            await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
            var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
            {
                Kind = "teams",
                DisplayName = "Contoso Teams bot",
                Config =
                {
                    ["app_id"] = fake.AppId,
                    ["openid_metadata_url"] = fake.OpenIdMetadataUrl.AbsoluteUri,
                    ["token_endpoint"] = fake.TokenEndpoint.AbsoluteUri,
                    ["service_url_hosts"] = "127.0.0.1",
                    ["allow_http_service_url"] = "true",
                },
                Credentials = { ["app_password"] = fake.AppPassword },
            }, auth)).Channel;
            return new Setup(fake, kernel, auth, channel);
        }

        /// <summary>A documented payload with its serviceUrl pointed at the fake Connector.</summary>
        public string Payload(string name)
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "Teams", name + ".json")))!.AsObject();
            json["serviceUrl"] = Fake.ServiceUrl;
            return json.ToJsonString();
        }

        public Task<HttpResponseMessage> PostAsync(string body, string? token)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Channel.WebhookPath, UriKind.Relative))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            if (token is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return _http.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await Kernel.DisposeAsync();
            await Fake.DisposeAsync();
        }
    }
}
