using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Telegram.Tests.Support;

/// <summary>Builds Telegram adapters wired to a fake Bot API, a manual clock and recording sinks.</summary>
public sealed class TestChannel : IDisposable
{
    public const string Token = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";
    public const string Secret = "s3cr3t_Webhook-Token";

    /// <summary>A channel on a real HttpClient, or on one whose requests go to <paramref name="handler"/>.</summary>
    public TestChannel(HttpMessageHandler? handler = null)
    {
        Http = handler is null ? new HttpClient() : new HttpClient(handler);
        Http.Timeout = Timeout.InfiniteTimeSpan;
    }

    public HttpClient Http { get; }

    public TrackingFakeTimeProvider Time { get; } = new();

    public RecordingStatusSink Status { get; } = new();

    public ListLogger Logger { get; } = new();

    public TelegramChannelAdapter Create(
        Uri? apiBaseUrl = null,
        string mode = "polling",
        string token = Token,
        string secret = Secret,
        Uri? publicWebhookUrl = null,
        string? botUsername = "yourbot",
        int pollingTimeoutSeconds = 1)
    {
        var config = new Dictionary<string, string>
        {
            ["mode"] = mode,
            ["polling_timeout_seconds"] = pollingTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["request_timeout_seconds"] = "300",
        };
        if (apiBaseUrl is not null)
            config["api_base_url"] = apiBaseUrl.AbsoluteUri;
        if (botUsername is not null)
            config["bot_username"] = botUsername;
        var context = new ChannelContext
        {
            ChannelId = "ch_test",
            TenantId = "tn_test",
            Config = config,
            Credentials = new Dictionary<string, string> { ["bot_token"] = token },
            WebhookSecret = secret,
            PublicWebhookUrl = publicWebhookUrl,
            HttpClient = Http,
            Logger = Logger,
            TimeProvider = Time,
            StatusSink = Status,
        };
        return (TelegramChannelAdapter)new TelegramChannelAdapterFactory().Create(context);
    }

    /// <summary>Polls <paramref name="condition"/> until true or the bound passes.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? bound = null)
    {
        var deadline = DateTime.UtcNow + (bound ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>Waits until the adapter waits on the clock for at most <paramref name="max"/>, then moves the clock past it.</summary>
    public async Task<TimeSpan> AdvancePastNextDelayAsync(TimeSpan max)
    {
        TimeSpan delay = default;
        await WaitUntilAsync(() =>
        {
            var pending = Time.PendingDelays.Where(d => d <= max).ToArray();
            if (pending.Length == 0)
                return false;
            delay = pending.Min();
            return true;
        }, $"a delay of at most {max}");
        Time.Advance(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        return delay;
    }

    public void Dispose() => Http.Dispose();
}
