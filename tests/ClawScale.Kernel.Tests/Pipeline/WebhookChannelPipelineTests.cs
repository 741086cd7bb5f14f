using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// The generic webhook channel through the real kernel: a signed POST to /webhooks/{channelId} (the plugin's
/// documented format) is accepted, answered by the echo agent, and delivered as a signed POST to the channel's
/// callback URL (a local receiver); a bad signature stores nothing.
/// </summary>
public sealed class WebhookChannelPipelineTests
{
    private const string Secret = "whsec-0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task A_signed_message_is_answered_through_a_signed_callback_and_a_bad_signature_is_refused()
    {
        var received = new ConcurrentQueue<(string Body, string Timestamp, string Signature)>();
        var receiver = WebApplication.CreateSlimBuilder();
        receiver.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = receiver.Build();
        app.MapPost("/callback", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            received.Enqueue((await reader.ReadToEndAsync(), http.Request.Headers["X-ClawScale-Timestamp"].ToString(), http.Request.Headers["X-ClawScale-Signature"].ToString()));
            return Results.Json(new { message_id = "cb-1" });
        });
        await app.StartAsync();
        var callbackUrl = app.Urls.First() + "/callback";

        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "webhook",
            DisplayName = "CRM",
            Config = { ["callback_url"] = callbackUrl },
            WebhookSecret = Secret,
        }, auth)).Channel;

        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        var body = JsonSerializer.Serialize(new { id = "msg-1", chat_id = "ticket-7", sender = new { id = "user-42", name = "Ada" }, text = "status?", chat_type = "direct" });

        using (var bad = Signed(channel.WebhookPath, body, "wrong-secret-wrong-secret-wrong"))
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(bad)).StatusCode);
        Assert.Empty((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);

        using (var good = Signed(channel.WebhookPath, body, Secret))
            Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(good)).StatusCode);

        await Eventually.TrueAsync(() => !received.IsEmpty, "the signed callback");
        var (callbackBody, timestamp, signature) = received.Single();
        using var json = JsonDocument.Parse(callbackBody);
        Assert.Equal("ticket-7", json.RootElement.GetProperty("chat_id").GetString());
        Assert.Equal("echo: status?", json.RootElement.GetProperty("text").GetString());
        Assert.Contains("v1=" + Sign(timestamp, callbackBody, Secret), signature, StringComparison.Ordinal);

        await Eventually.TrueAsync(
            async () => (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries is [{ Status: DeliveryStatus.Delivered, ProviderMessageId: "cb-1" }],
            "the delivery marked delivered with the callback's message id");
        kernel.AssertNoUnexpectedErrors();
    }

    private static HttpRequestMessage Signed(string path, string body, string secret)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-ClawScale-Timestamp", timestamp);
        request.Headers.Add("X-ClawScale-Signature", "v1=" + Sign(timestamp, body, secret));
        return request;
    }

    private static string Sign(string timestamp, string body, string secret) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"))).ToLowerInvariant();
}
