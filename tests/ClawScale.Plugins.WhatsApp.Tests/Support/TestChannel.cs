using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.WhatsApp.Tests.Support;

/// <summary>Builds WhatsApp adapters wired to a fake Graph API, a manual clock and recording sinks.</summary>
public sealed class TestChannel : IDisposable
{
    public const string AppSecret = "3f1c2d9e8b7a6f5e4d3c2b1a09f8e7d6";
    public const string VerifyToken = "meatyhamhock";
    public const string PhoneNumberId = "106540352242922";

    public HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

    public TrackingFakeTimeProvider Time { get; } = new();

    public RecordingStatusSink Status { get; } = new();

    public ListLogger Logger { get; } = new();

    public WhatsAppChannelAdapter Create(Uri? graphBaseUrl = null, string accessToken = "EAAJB-test-access-token")
    {
        var config = new Dictionary<string, string> { ["phone_number_id"] = PhoneNumberId, ["graph_api_version"] = "v23.0" };
        if (graphBaseUrl is not null)
            config["graph_base_url"] = graphBaseUrl.AbsoluteUri;
        var context = new ChannelContext
        {
            ChannelId = "ch_whatsapp",
            TenantId = "tn_test",
            Config = config,
            Credentials = new Dictionary<string, string> { ["access_token"] = accessToken, ["app_secret"] = AppSecret },
            WebhookSecret = VerifyToken,
            HttpClient = Http,
            Logger = Logger,
            TimeProvider = Time,
            StatusSink = Status,
        };
        return (WhatsAppChannelAdapter)new WhatsAppChannelAdapterFactory().Create(context);
    }

    public static byte[] Payload(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json"));

    /// <summary>A POST signed like Meta signs it (X-Hub-Signature-256 over the raw body).</summary>
    public WebhookRequest Signed(byte[] body, string secret = AppSecret) => new()
    {
        Method = "POST",
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = "application/json",
            [WhatsAppSignature.Header] = WhatsAppSignature.Compute(secret, body),
        },
        Body = body,
        ReceivedAt = Time.GetUtcNow(),
    };

    public void Dispose() => Http.Dispose();
}
