using System.Net;
using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClawScale.Plugins.ChannelTemplate.Tests;

/// <summary>The adapter through its factory, with a fake platform API and payloads from Payloads/.</summary>
public sealed class ContosoChannelAdapterTests
{
    private const string Secret = "webhook-secret-0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 5, TimeSpan.Zero);

    [Fact]
    public async Task A_signed_message_is_accepted_and_mapped()
    {
        var (adapter, _) = Create();
        var result = await adapter.HandleWebhookAsync(Signed("message.json"), CancellationToken.None);

        Assert.False(result.IsRejected);
        var message = Assert.Single(result.Messages);
        Assert.Equal("evt_01HZX3", message.ProviderMessageId);
        Assert.Equal("chat_42", message.ExternalChatId);
        Assert.Equal("user_7", message.Sender.Value);
        Assert.Equal("contoso", message.Sender.Provider);
        Assert.Equal("hello", message.Text);
        Assert.Equal("msg_1001", message.PlatformMessageId);
    }

    [Fact]
    public async Task A_wrong_signature_is_rejected_before_parsing()
    {
        var (adapter, _) = Create();
        var request = Signed("message.json") with { Body = Encoding.UTF8.GetBytes("{\"tampered\": true}") };
        var result = await adapter.HandleWebhookAsync(request, CancellationToken.None);

        Assert.True(result.IsRejected);
        Assert.Equal(401, result.StatusCode);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task A_stale_signature_is_rejected()
    {
        var (adapter, _) = Create();
        var result = await adapter.HandleWebhookAsync(Signed("message.json", signedAt: Now.AddMinutes(-10)), CancellationToken.None);
        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public async Task A_ping_is_answered_with_its_challenge()
    {
        var (adapter, _) = Create();
        var result = await adapter.HandleWebhookAsync(Signed("ping.json"), CancellationToken.None);

        Assert.Empty(result.Messages);
        Assert.Contains("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", Encoding.UTF8.GetString(result.ResponseBody.Span));
    }

    [Fact]
    public async Task Send_posts_the_text_and_reads_the_message_id()
    {
        var (adapter, api) = Create();
        api.Answer = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"id\": \"msg_2002\"}") };

        var result = await adapter.SendAsync(Outbound("hi there"), CancellationToken.None);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal("msg_2002", result.ProviderMessageId);
        var request = Assert.Single(api.Requests);
        Assert.Equal("https://api.contoso.example/v1/messages", request.Uri.ToString());
        Assert.Equal("Bearer test-token", request.Authorization);
        Assert.Contains("\"text\":\"hi there\"", request.Body);
        Assert.Contains("\"client_message_id\":\"key-1\"", request.Body);
    }

    [Fact]
    public async Task A_429_is_retried_after_Retry_After()
    {
        var (adapter, api) = Create();
        api.Answer = _ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("slow down") };
            response.Headers.TryAddWithoutValidation("Retry-After", "7");
            return response;
        };

        var result = await adapter.SendAsync(Outbound("hi"), CancellationToken.None);

        Assert.Equal(SendOutcome.Retry, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Fact]
    public void Validate_lists_every_problem()
    {
        var problems = new ContosoChannelAdapterFactory().Validate(new Dictionary<string, string> { ["timeout_seconds"] = "0" }, new Dictionary<string, string>());
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("config.api_base_url", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.api_token", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.timeout_seconds", StringComparison.Ordinal));
    }

    private static (IChannelAdapter Adapter, FakePlatformApi Api) Create()
    {
        var api = new FakePlatformApi();
        var context = new ChannelContext
        {
            ChannelId = "ch-1",
            TenantId = "t-1",
            WebhookSecret = Secret,
            Config = new Dictionary<string, string> { ["api_base_url"] = "https://api.contoso.example/v1" },
            Credentials = new Dictionary<string, string> { ["api_token"] = "test-token" },
            HttpClient = new HttpClient(api),
            Logger = NullLogger.Instance,
        };
        return (new ContosoChannelAdapterFactory().Create(context), api);
    }

    private static WebhookRequest Signed(string payload, DateTimeOffset? signedAt = null)
    {
        var body = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", payload));
        var timestamp = (signedAt ?? Now).ToUnixTimeSeconds();
        return new WebhookRequest
        {
            Method = "POST",
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                [ContosoSignature.TimestampHeader] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [ContosoSignature.SignatureHeader] = ContosoSignature.Sign(Secret, timestamp, body),
            },
            Body = body,
            ReceivedAt = Now,
        };
    }

    private static OutboundMessage Outbound(string text) =>
        new() { DeliveryId = "d-1", IdempotencyKey = "key-1", ExternalChatId = "chat_42", Text = text };
}
