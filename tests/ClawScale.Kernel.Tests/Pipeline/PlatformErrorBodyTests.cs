using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Kernel.Tests.Runtime;
using ClawScale.Protos.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// What a platform or provider answers with an error never reaches the API-visible <c>last_error</c> of a delivery or
/// turn unless it is a documented error field the plugin parsed (OpenAI's <c>error.message</c> here); anything else is
/// reported by status code and reason phrase. Checked through the real kernel against fakes that answer 4xx with a
/// secret-looking body.
/// </summary>
public sealed class PlatformErrorBodyTests
{
    private const string SecretBody = "<html><body>internal admin: AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY</body></html>";
    private const string Secret = "whsec-0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task A_webhook_callback_4xx_body_is_not_in_the_delivery_last_error()
    {
        await using var fake = await ErrorServer.StartAsync(HttpProtocols.Http1, 403, "text/html", SecretBody);
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "webhook",
            DisplayName = "CRM",
            Config = { ["callback_url"] = fake.Url + "/callback" },
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
            return delivery is { Status: DeliveryStatus.Dead };
        }, "the dead delivery");
        Assert.Equal("callback_url answered HTTP 403 Forbidden", delivery!.LastError);
        Assert.Equal(1, fake.Requests);
        AssertNowhere(kernel, "AWS_SECRET");
        kernel.AssertNoUnexpectedErrors(m => m.Contains("is a dead letter", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("text/html", SecretBody, "answered HTTP 403 Forbidden", "AWS_SECRET")]
    [InlineData("application/json", """{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"},"debug":"AWS_SECRET"}""",
        "answered HTTP 403 (invalid_request_error/invalid_api_key): Incorrect API key provided", "AWS_SECRET")]
    public async Task An_openai_4xx_shows_only_the_documented_error_message_in_the_turn_last_error(string contentType, string body, string expected, string hidden)
    {
        await using var fake = await ErrorServer.StartAsync(HttpProtocols.Http1, 403, contentType, body);
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest
        {
            Name = "llm",
            Kind = "openai",
            Config = { ["model"] = "gpt-test", ["base_url"] = fake.Url + "/v1" },
            Credentials = { ["api_key"] = "sk-test-0123456789" },
        }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Web" }, auth)).Channel;
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        const string visitor = "visitorBODY1AAAAAAAAAAAAA";

        await DialOutRuntimeTests.PostAsync(http, channel.Id, visitor, "hello", "1");
        await DialOutRuntimeTests.WaitForReplyAsync(http, channel.Id, visitor, _ => true);

        var turn = Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest { Status = TurnStatus.Failed }, auth)).Turns);
        Assert.EndsWith(expected, turn.LastError, StringComparison.Ordinal);
        AssertNowhere(kernel, hidden);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_dial_out_endpoint_that_is_not_a_grpc_server_is_reported_by_status_without_its_body()
    {
        await using var fake = await ErrorServer.StartAsync(HttpProtocols.Http2, 403, "text/html", SecretBody);
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, auth, _, channelId) = await DialOutRuntimeTests.SetUpAsync(kernel, fake.Url);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        const string visitor = "visitorBODY2AAAAAAAAAAAAA";

        await DialOutRuntimeTests.PostAsync(http, channelId, visitor, "hello", "1");
        await DialOutRuntimeTests.WaitForReplyAsync(http, channelId, visitor, _ => true);

        var turn = Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest { Status = TurnStatus.Failed }, auth)).Turns);
        Assert.Contains("403", turn.LastError, StringComparison.Ordinal);
        AssertNowhere(kernel, "AWS_SECRET");
        kernel.AssertNoUnexpectedErrors();
    }

    /// <summary>Neither an API-visible error nor any log line of the kernel holds <paramref name="text"/>.</summary>
    private static void AssertNowhere(KernelHost kernel, string text) =>
        Assert.DoesNotContain(kernel.Logs.Entries, e => e.Message.Contains(text, StringComparison.Ordinal) || (e.Exception?.ToString().Contains(text, StringComparison.Ordinal) ?? false));

    private static HttpRequestMessage Signed(string path, string body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"))).ToLowerInvariant();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-ClawScale-Timestamp", timestamp);
        request.Headers.Add("X-ClawScale-Signature", "v1=" + signature);
        return request;
    }

    /// <summary>Kestrel on 127.0.0.1 answering every request with one status, content type and body, counting them.</summary>
    private sealed class ErrorServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _requests;

        private ErrorServer(WebApplication app) => _app = app;

        public string Url { get; private set; } = string.Empty;

        public int Requests => Volatile.Read(ref _requests);

        public static async Task<ErrorServer> StartAsync(HttpProtocols protocols, int status, string contentType, string body)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = protocols));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var server = new ErrorServer(app);
            app.Run(async http =>
            {
                Interlocked.Increment(ref server._requests);
                http.Response.StatusCode = status;
                http.Response.ContentType = contentType;
                await http.Response.WriteAsync(body);
            });
            await app.StartAsync();
            server.Url = app.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
