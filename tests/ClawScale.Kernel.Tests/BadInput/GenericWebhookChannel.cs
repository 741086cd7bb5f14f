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

namespace ClawScale.Kernel.Tests.BadInput;

/// <summary>
/// A tenant with the echo agent and a generic <c>webhook</c> channel whose callback URL is a local receiver that
/// records every reply; posts messages signed the way the plugin's README documents.
/// </summary>
internal sealed class GenericWebhookChannel : IAsyncDisposable
{
    public const string Secret = "whsec-0123456789abcdef0123456789abcdef";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly WebApplication _receiver;

    private GenericWebhookChannel(KernelHost kernel, WebApplication receiver, string tenantId, string channelId, ConcurrentQueue<JsonElement> callbacks)
    {
        Kernel = kernel;
        _receiver = receiver;
        TenantId = tenantId;
        ChannelId = channelId;
        Callbacks = callbacks;
    }

    public KernelHost Kernel { get; }
    public string TenantId { get; }
    public string ChannelId { get; }

    /// <summary>The body of every callback (reply) received, in order.</summary>
    public ConcurrentQueue<JsonElement> Callbacks { get; }

    public static async Task<GenericWebhookChannel> StartAsync(KernelHost kernel)
    {
        var callbacks = new ConcurrentQueue<JsonElement>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = builder.Build();
        receiver.MapPost("/callback", async (HttpContext http) =>
        {
            using var json = await JsonDocument.ParseAsync(http.Request.Body);
            callbacks.Enqueue(json.RootElement.Clone());
            return Results.Json(new { message_id = "cb-" + callbacks.Count });
        });
        await receiver.StartAsync();

        var (tenant, _) = await kernel.CreateTenantAsync();
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { TenantId = tenant.Id, Name = "echo", Kind = "echo" }, kernel.AdminAuth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { TenantId = tenant.Id, AgentId = agent.Id }, kernel.AdminAuth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            TenantId = tenant.Id,
            Kind = "webhook",
            DisplayName = "CRM",
            Config = { ["callback_url"] = receiver.Urls.First() + "/callback" },
            WebhookSecret = Secret,
        }, kernel.AdminAuth)).Channel;
        return new GenericWebhookChannel(kernel, receiver, tenant.Id, channel.Id, callbacks);
    }

    /// <summary>A message in the plugin's documented inbound format.</summary>
    public static string Message(string id, string sender, string text) =>
        JsonSerializer.Serialize(new { id, chat_id = "chat-" + sender, sender = new { id = sender, name = sender }, text });

    /// <summary>POSTs <paramref name="body"/> signed with the channel's secret; returns the status, Retry-After and body text.</summary>
    public async Task<(HttpStatusCode Status, string? RetryAfter, string Body)> PostAsync(string body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Kernel.HttpAddress, "/webhooks/" + ChannelId))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-ClawScale-Timestamp", timestamp);
        request.Headers.Add("X-ClawScale-Signature", "v1=" + Sign(timestamp, body));
        using var response = await Http.SendAsync(request);
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null;
        return (response.StatusCode, retryAfter, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The replies received for <paramref name="sender"/>'s chat, as texts.</summary>
    public IReadOnlyList<string> RepliesTo(string sender) =>
        Callbacks.Where(c => c.GetProperty("chat_id").GetString() == "chat-" + sender).Select(c => c.GetProperty("text").GetString()!).ToList();

    private static string Sign(string timestamp, string body) =>
        Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"))).ToLowerInvariant();

    public async ValueTask DisposeAsync()
    {
        await _receiver.StopAsync();
        await _receiver.DisposeAsync();
    }
}
