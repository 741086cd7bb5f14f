using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Evolution.Tests.Support;

/// <summary>Builds Evolution adapters wired to a fake Evolution server, a manual clock and recording sinks.</summary>
public sealed class TestChannel : IDisposable
{
    public const string ApiKey = "B6D711FCDE4D4FD5936544120E713976";
    public const string WebhookSecret = "evo-webhook-secret-7f3a9c";

    public HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

    public TrackingFakeTimeProvider Time { get; } = new();

    public RecordingStatusSink Status { get; } = new();

    public ListLogger Logger { get; } = new();

    public EvolutionChannelAdapter Create(Uri? baseUrl = null, string apiKey = ApiKey, string instance = "clawbot", string? botJids = null)
    {
        var config = new Dictionary<string, string>
        {
            ["base_url"] = (baseUrl ?? new Uri("http://127.0.0.1:9")).AbsoluteUri,
            ["instance"] = instance,
        };
        if (botJids is not null)
            config["bot_jids"] = botJids;
        var context = new ChannelContext
        {
            ChannelId = "ch_evolution",
            TenantId = "tn_test",
            Config = config,
            Credentials = new Dictionary<string, string> { ["api_key"] = apiKey },
            WebhookSecret = WebhookSecret,
            HttpClient = Http,
            Logger = Logger,
            TimeProvider = Time,
            StatusSink = Status,
        };
        return (EvolutionChannelAdapter)new EvolutionChannelAdapterFactory().Create(context);
    }

    public static byte[] Payload(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json"));

    /// <summary>A POST as Evolution sends it to a webhook URL ending in <paramref name="query"/>, with optional headers.</summary>
    public WebhookRequest Post(byte[] body, string query = "?token=" + WebhookSecret, IDictionary<string, string>? headers = null)
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" };
        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
            all[key] = value;
        return new WebhookRequest { Method = "POST", Headers = all, QueryString = query, Body = body, ReceivedAt = Time.GetUtcNow() };
    }

    public void Dispose() => Http.Dispose();
}
