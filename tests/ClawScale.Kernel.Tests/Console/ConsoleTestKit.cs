using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenQA.Selenium;

namespace ClawScale.Kernel.Tests.Console;

/// <summary>Shared set-up of the console tests: a tenant with an echo agent and a webhook channel, signed inbound calls, label checks.</summary>
internal static class ConsoleTestKit
{
    public const string WebhookSecret = "whsec-console-0123456789abcdef0123";

    /// <summary>An echo agent bound as the tenant default and a webhook channel posting replies to <paramref name="callbackUrl"/>.</summary>
    public static async Task<Channel> EchoOverWebhookAsync(KernelHost kernel, string key, string callbackUrl, string name = "CRM webhook")
    {
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        return (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest
        {
            Kind = "webhook",
            DisplayName = name,
            Config = { ["callback_url"] = callbackUrl },
            WebhookSecret = WebhookSecret,
        }, auth)).Channel;
    }

    /// <summary>
    /// POSTs an inbound message to a webhook channel, signed as plugins/ClawScale.Plugins.Webhook/README.md documents
    /// (X-ClawScale-Timestamp, X-ClawScale-Signature: v1=hex(HMAC-SHA256(secret, "{timestamp}.{body}"))).
    /// </summary>
    public static async Task SendInboundAsync(KernelHost kernel, Channel channel, string messageId, string sender, string text)
    {
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        var body = JsonSerializer.Serialize(new { id = messageId, chat_id = "ticket-" + sender, sender = new { id = sender, name = "Ada " + sender }, text });
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"))).ToLowerInvariant();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(channel.WebhookPath, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-ClawScale-Timestamp", timestamp);
        request.Headers.Add("X-ClawScale-Signature", "v1=" + signature);
        using var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>Fails unless every visible input, select and textarea of the page has a label (label[for=id]).</summary>
    public static void AssertEveryInputLabelled(ConsoleBrowser browser)
    {
        var unlabelled = (IReadOnlyCollection<object>)((IJavaScriptExecutor)browser.Driver).ExecuteScript("""
            return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
              .filter(e => !(e.id && document.querySelector('label[for="' + e.id + '"]')) && !e.closest('label'))
              .map(e => e.outerHTML);
            """)!;
        Assert.True(unlabelled.Count == 0, $"Inputs without a label on {browser.Driver.Url}:\n" + string.Join("\n", unlabelled));
    }

    /// <summary>
    /// A platform's callback endpoint on 127.0.0.1: answers 403 to the first <c>failFirst</c> requests, then 200 with
    /// <c>{"message_id": "…"}</c> (the webhook plugin's documented success answer), counting them.
    /// </summary>
    public sealed class CallbackServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _requests;

        private CallbackServer(WebApplication app) => _app = app;

        public string Url { get; private set; } = string.Empty;

        public int Requests => Volatile.Read(ref _requests);

        public static async Task<CallbackServer> StartAsync(int failFirst)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var server = new CallbackServer(app);
            app.Run(async http =>
            {
                var n = Interlocked.Increment(ref server._requests);
                if (n <= failFirst)
                {
                    http.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }

                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync($"{{\"message_id\":\"m-{n}\"}}");
            });
            await app.StartAsync();
            server.Url = app.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/callback";
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
