using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Kernel.Tests.Runtime;
using ClawScale.Protos.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Tests.Networking;

/// <summary>
/// The outbound network guard through the real kernel with <c>ClawScale:Security:AllowPrivateNetworkTargets</c> at its
/// default (false): a channel or agent pointed at a fake on 127.0.0.1, or at <c>localhost</c>, fails with an error naming
/// the host, the address and the setting (channel status, delivery and turn <c>last_error</c>), and the fake receives
/// nothing. The refusal is logged once as a warning (event 2601).
/// </summary>
public sealed class OutboundNetworkGuardFunctionalTests
{
    private const string Setting = "ClawScale:Security:AllowPrivateNetworkTargets=true";
    private const string Secret = "whsec-0123456789abcdef0123456789abcdef";

    private static readonly Dictionary<string, string?> Guarded = new() { ["ClawScale:Security:AllowPrivateNetworkTargets"] = "false" };

    [Fact]
    public async Task A_webhook_channel_whose_callback_url_is_localhost_gets_no_call_and_the_delivery_says_why()
    {
        await using var fake = await CountingServer.StartAsync();
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), Guarded);
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "webhook",
            DisplayName = "CRM",
            Config = { ["callback_url"] = $"http://localhost:{fake.Port}/callback" },
            WebhookSecret = Secret,
        }, auth)).Channel;

        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        var body = JsonSerializer.Serialize(new { id = "msg-1", chat_id = "ticket-7", sender = new { id = "user-42" }, text = "status?" });
        using (var request = Signed(channel.WebhookPath, body))
            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await http.SendAsync(request)).StatusCode);

        ClawScale.Protos.V1.Delivery? delivery = null;
        await Eventually.TrueAsync(async () =>
        {
            delivery = (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries.SingleOrDefault();
            return delivery is { LastError.Length: > 0 };
        }, "the failed delivery attempt");
        Assert.Contains("callback_url unreachable", delivery!.LastError, StringComparison.Ordinal);
        Assert.Contains("'localhost'", delivery.LastError, StringComparison.Ordinal);
        Assert.Contains("a loopback address", delivery.LastError, StringComparison.Ordinal);
        Assert.Contains(Setting, delivery.LastError, StringComparison.Ordinal);
        Assert.Equal(0, fake.Requests);
        AssertLoggedOnce(kernel, "localhost");
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_telegram_channel_whose_api_base_url_is_127_0_0_1_shows_the_refusal_in_its_status()
    {
        await using var fake = await CountingServer.StartAsync();
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), Guarded);
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "telegram",
            DisplayName = "Bot",
            Config = { ["mode"] = "polling", ["api_base_url"] = $"http://127.0.0.1:{fake.Port}" },
            Credentials = { ["bot_token"] = KernelHost.SampleBotToken },
        }, auth)).Channel;

        Channel? seen = null;
        await Eventually.TrueAsync(async () =>
        {
            seen = (await kernel.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = channel.Id }, auth)).Channel;
            return seen.Status == ChannelStatus.Error && seen.LastError.Length > 0;
        }, "the channel in error");
        Assert.Contains("127.0.0.1, a loopback address", seen!.LastError, StringComparison.Ordinal);
        Assert.Contains(Setting, seen.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(KernelHost.SampleBotToken.Split(':')[1], seen.LastError, StringComparison.Ordinal);
        Assert.Equal(0, fake.Requests);
        // The Telegram plugin logs its failed connect as an error itself.
        kernel.AssertNoUnexpectedErrors(m => m.Contains(Setting, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_openai_agent_whose_base_url_is_127_0_0_1_fails_the_turn_without_calling_it()
    {
        await using var fake = await CountingServer.StartAsync();
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), Guarded);
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest
        {
            Name = "llm",
            Kind = "openai",
            Config = { ["model"] = "gpt-test", ["base_url"] = $"http://127.0.0.1:{fake.Port}/v1" },
            Credentials = { ["api_key"] = "sk-test-0123456789" },
        }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Web" }, auth)).Channel;
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        const string visitor = "visitorGUARD1AAAAAAAAAAAA";

        await DialOutRuntimeTests.PostAsync(http, channel.Id, visitor, "hello", "1");
        var apology = await DialOutRuntimeTests.WaitForReplyAsync(http, channel.Id, visitor, _ => true);
        Assert.DoesNotContain("127.0.0.1", apology, StringComparison.Ordinal);

        var turn = Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest { Status = TurnStatus.Failed }, auth)).Turns);
        Assert.Contains("127.0.0.1, a loopback address", turn.LastError, StringComparison.Ordinal);
        Assert.Contains(Setting, turn.LastError, StringComparison.Ordinal);
        Assert.Equal(0, fake.Requests);
        kernel.AssertNoUnexpectedErrors();
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1, a loopback address")]
    [InlineData("localhost", "'localhost': it resolves to")]
    public async Task A_dial_out_runtime_on_a_loopback_address_or_localhost_is_refused_at_once(string host, string expected)
    {
        await using var runtime = await FakeRuntimeServer.StartAsync((_, _, _) => Task.FromResult(DialOutRuntimeTests.Reply("should not happen")));
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), Guarded);
        var endpoint = $"http://{host}:{runtime.Address.Port}";
        var (_, auth, _, channelId) = await DialOutRuntimeTests.SetUpAsync(kernel, endpoint, token: "rt-token-guard-0001");
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        const string visitor = "visitorGUARD2AAAAAAAAAAAA";

        await DialOutRuntimeTests.PostAsync(http, channelId, visitor, "anyone?", "1");
        Assert.StartsWith("Sorry", await DialOutRuntimeTests.WaitForReplyAsync(http, channelId, visitor, _ => true), StringComparison.Ordinal);

        var turn = Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest { Status = TurnStatus.Failed }, auth)).Turns);
        Assert.Contains("UNAVAILABLE", turn.LastError, StringComparison.Ordinal);
        Assert.Contains(expected, turn.LastError, StringComparison.Ordinal);
        Assert.Contains(Setting, turn.LastError, StringComparison.Ordinal);
        Assert.Contains("after 1 attempt", turn.LastError, StringComparison.Ordinal);
        Assert.Empty(runtime.State.Calls);
        AssertLoggedOnce(kernel, host);
        kernel.AssertNoUnexpectedErrors();
    }

    private static void AssertLoggedOnce(KernelHost kernel, string host)
    {
        var warnings = kernel.Logs.Entries.Where(e => e.EventId.Id == 2601).ToList();
        var warning = Assert.Single(warnings);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(host, warning.Message, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Signed(string path, string body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"))).ToLowerInvariant();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-ClawScale-Timestamp", timestamp);
        request.Headers.Add("X-ClawScale-Signature", "v1=" + signature);
        return request;
    }

    /// <summary>An HTTP server on 127.0.0.1 that counts every request it receives and answers 200 <c>{}</c>.</summary>
    private sealed class CountingServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _requests;

        private CountingServer(WebApplication app) => _app = app;

        public int Port { get; private set; }

        public int Requests => Volatile.Read(ref _requests);

        public static async Task<CountingServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var server = new CountingServer(app);
            app.Run(http =>
            {
                Interlocked.Increment(ref server._requests);
                return http.Response.WriteAsync("{}");
            });
            await app.StartAsync();
            server.Port = new Uri(app.Urls.First()).Port;
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
