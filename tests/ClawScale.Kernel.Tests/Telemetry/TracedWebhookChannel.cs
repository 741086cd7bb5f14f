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

namespace ClawScale.Kernel.Tests.Telemetry;

/// <summary>
/// A tenant with the echo agent bound and a generic <c>webhook</c> channel whose callback URL is a fake platform on
/// 127.0.0.1 that records every send (body and <c>traceparent</c> header). Messages are posted signed as the plugin's
/// README documents, optionally with a W3C <c>traceparent</c>.
/// </summary>
internal sealed class TracedWebhookChannel : IAsyncDisposable
{
    public const string Secret = "whsec-0123456789abcdef0123456789abcdef";

    private readonly WebApplication _platform;

    private TracedWebhookChannel(KernelHost kernel, WebApplication platform, string tenantId, string tenantKey, string channelId)
    {
        Kernel = kernel;
        _platform = platform;
        TenantId = tenantId;
        TenantKey = tenantKey;
        ChannelId = channelId;
    }

    public KernelHost Kernel { get; }
    public string TenantId { get; }
    public string TenantKey { get; }
    public string ChannelId { get; }

    /// <summary>Every send the fake platform received: the reply's text and the request's traceparent header (or null).</summary>
    public ConcurrentQueue<(string Text, string? TraceParent)> Sends { get; } = new();

    public static async Task<TracedWebhookChannel> StartAsync(KernelHost kernel)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var platform = builder.Build();
        var (tenant, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        TracedWebhookChannel? channel = null;
        platform.MapPost("/callback", async (HttpContext http) =>
        {
            using var json = await JsonDocument.ParseAsync(http.Request.Body);
            var traceParent = http.Request.Headers.TryGetValue("traceparent", out var values) ? values.ToString() : null;
            channel!.Sends.Enqueue((json.RootElement.GetProperty("text").GetString()!, traceParent));
            return Results.Json(new { message_id = "cb-" + channel.Sends.Count });
        });
        await platform.StartAsync();
        var created = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "webhook",
            DisplayName = "CRM",
            Config = { ["callback_url"] = platform.Urls.First() + "/callback" },
            WebhookSecret = Secret,
        }, auth)).Channel;
        channel = new TracedWebhookChannel(kernel, platform, tenant.Id, key, created.Id);
        return channel;
    }

    /// <summary>POSTs a message in the plugin's documented format, signed, with <paramref name="traceParent"/> when given.</summary>
    public async Task<HttpStatusCode> PostAsync(string id, string text, string? traceParent = null)
    {
        var body = JsonSerializer.Serialize(new { id, chat_id = "ticket-7", sender = new { id = "user-42", name = "Ada" }, text, chat_type = "direct" });
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Kernel.HttpAddress, "/webhooks/" + ChannelId))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-ClawScale-Timestamp", timestamp);
        request.Headers.Add("X-ClawScale-Signature", "v1=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"))));
        if (traceParent is not null) request.Headers.Add("traceparent", traceParent);
        // A handler of its own with no activity around: the test's traceparent header is the only context sent.
        using var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null });
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        await _platform.StopAsync();
        await _platform.DisposeAsync();
    }
}
