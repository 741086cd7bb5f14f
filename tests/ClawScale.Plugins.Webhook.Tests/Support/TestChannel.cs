using System.Globalization;
using System.Text;
using ClawScale.Plugins.Channels;
using Microsoft.Extensions.Time.Testing;

namespace ClawScale.Plugins.Webhook.Tests.Support;

/// <summary>Builds webhook adapters with a manual clock, a recording logger and signed requests.</summary>
public sealed class TestChannel : IDisposable
{
    public const string Secret = "whsec_test_0123456789abcdef";
    public const string CallbackSecret = "cbsec_test_fedcba9876543210";

    public HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public ListLogger Logger { get; } = new();

    public RecordingStatusSink Status { get; } = new();

    public WebhookChannelAdapter Create(Uri? callbackUrl = null, string? provider = null, string? callbackSecret = null, int? timeoutSeconds = null)
    {
        var config = new Dictionary<string, string> { ["callback_url"] = (callbackUrl ?? new Uri("http://127.0.0.1:9/callback")).AbsoluteUri };
        if (provider is not null)
            config["provider"] = provider;
        if (timeoutSeconds is not null)
            config["timeout_seconds"] = timeoutSeconds.Value.ToString(CultureInfo.InvariantCulture);
        var credentials = new Dictionary<string, string>();
        if (callbackSecret is not null)
            credentials["callback_secret"] = callbackSecret;
        var context = new ChannelContext
        {
            ChannelId = "ch_test",
            TenantId = "tn_test",
            Config = config,
            Credentials = credentials,
            WebhookSecret = Secret,
            HttpClient = Http,
            Logger = Logger,
            TimeProvider = Time,
            StatusSink = Status,
        };
        return (WebhookChannelAdapter)new WebhookChannelAdapterFactory().Create(context);
    }

    /// <summary>A POST as the kernel hands it over, signed at <paramref name="timestamp"/> (default: the clock's now), received now.</summary>
    public WebhookRequest Signed(string body, long? timestamp = null, string secret = Secret, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var ts = timestamp ?? Time.GetUtcNow().ToUnixTimeSeconds();
        return Request(bytes, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = "application/json",
            ["X-ClawScale-Timestamp"] = ts.ToString(CultureInfo.InvariantCulture),
            ["X-ClawScale-Signature"] = signature ?? TestSignature.Header(secret, ts, bytes),
        });
    }

    public WebhookRequest Request(byte[] body, IReadOnlyDictionary<string, string> headers, string method = "POST") =>
        new() { Method = method, Headers = headers, Body = body, ReceivedAt = Time.GetUtcNow() };

    /// <summary>Polls <paramref name="condition"/> until true or the bound passes.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }

    public void Dispose() => Http.Dispose();
}
