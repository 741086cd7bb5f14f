using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Line.Tests.Support;

/// <summary>Builds LINE adapters wired to a fake Messaging API, a manual clock and recording sinks.</summary>
public sealed class TestChannel : IDisposable
{
    public const string ChannelSecret = "8c570fa6dd201bb328f1c1eac23a96d8";

    public HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

    public TrackingFakeTimeProvider Time { get; } = new();

    public RecordingStatusSink Status { get; } = new();

    public ListLogger Logger { get; } = new();

    public LineChannelAdapter Create(Uri? apiBaseUrl = null, string accessToken = "line-test-channel-access-token")
    {
        var config = new Dictionary<string, string>();
        if (apiBaseUrl is not null)
            config["api_base_url"] = apiBaseUrl.AbsoluteUri;
        var context = new ChannelContext
        {
            ChannelId = "ch_line",
            TenantId = "tn_test",
            Config = config,
            Credentials = new Dictionary<string, string> { ["channel_access_token"] = accessToken, ["channel_secret"] = ChannelSecret },
            WebhookSecret = "unused-by-line",
            HttpClient = Http,
            Logger = Logger,
            TimeProvider = Time,
            StatusSink = Status,
        };
        return (LineChannelAdapter)new LineChannelAdapterFactory().Create(context);
    }

    public static byte[] Payload(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json"));

    /// <summary>A POST signed like LINE signs it (X-Line-Signature over the raw body).</summary>
    public WebhookRequest Signed(byte[] body, string secret = ChannelSecret) => new()
    {
        Method = "POST",
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = "application/json",
            [LineSignature.Header] = LineSignature.Compute(secret, body),
        },
        Body = body,
        ReceivedAt = Time.GetUtcNow(),
    };

    public void Dispose() => Http.Dispose();
}
