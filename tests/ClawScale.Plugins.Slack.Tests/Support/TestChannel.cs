using System.Globalization;
using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Slack.Tests.Support;

/// <summary>Builds Slack adapters wired to a fake Slack, a manual clock and recording sinks.</summary>
public sealed class TestChannel : IDisposable
{
    public const string BotToken = "xoxb-1111111111-2222222222-TestBotTokenValue";
    public const string AppToken = "xapp-1-A0TEST-3333333333-TestAppTokenValue";
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string BotUserId = "U07BOT0001";

    /// <summary>Creates the builder; <paramref name="handler"/> stands in for the kernel's guarded handler when given.</summary>
    public TestChannel(HttpMessageHandler? handler = null)
    {
        Http = handler is null ? new HttpClient() : new HttpClient(handler);
        Http.Timeout = Timeout.InfiniteTimeSpan;
    }

    public HttpClient Http { get; }

    public TrackingFakeTimeProvider Time { get; } = new();

    public RecordingStatusSink Status { get; } = new();

    public ListLogger Logger { get; } = new();

    public SlackChannelAdapter Create(
        Uri? apiBaseUrl = null,
        string mode = "events",
        string botToken = BotToken,
        string appToken = AppToken,
        string? botUserId = BotUserId,
        bool replyInThread = true)
    {
        var config = new Dictionary<string, string>
        {
            ["mode"] = mode,
            ["reply_in_thread"] = replyInThread ? "true" : "false",
            ["request_timeout_seconds"] = "300",
            ["socket_silence_seconds"] = "30",
        };
        if (apiBaseUrl is not null)
            config["api_base_url"] = apiBaseUrl.AbsoluteUri;
        if (botUserId is not null)
            config["bot_user_id"] = botUserId;
        var context = new ChannelContext
        {
            ChannelId = "ch_slack",
            TenantId = "tn_test",
            Config = config,
            Credentials = new Dictionary<string, string> { ["bot_token"] = botToken, ["signing_secret"] = SigningSecret, ["app_token"] = appToken },
            WebhookSecret = "unused-by-slack",
            HttpClient = Http,
            Logger = Logger,
            TimeProvider = Time,
            StatusSink = Status,
        };
        return (SlackChannelAdapter)new SlackChannelAdapterFactory().Create(context);
    }

    /// <summary>A webhook call signed like Slack does, at the manual clock's time unless told otherwise.</summary>
    public WebhookRequest Signed(byte[] body, DateTimeOffset? signedAt = null, string secret = SigningSecret, IDictionary<string, string>? extraHeaders = null)
    {
        var timestamp = (signedAt ?? Time.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = "application/json",
            ["X-Slack-Request-Timestamp"] = timestamp,
            ["X-Slack-Signature"] = SlackSignature.Compute(secret, timestamp, body),
        };
        foreach (var (key, value) in extraHeaders ?? new Dictionary<string, string>())
            headers[key] = value;
        return new WebhookRequest { Method = "POST", Headers = headers, Body = body, ReceivedAt = Time.GetUtcNow() };
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

    /// <summary>Waits until the adapter waits on the clock for a delay in [min, max], then moves the clock past it.</summary>
    public async Task<TimeSpan> AdvancePastNextDelayAsync(TimeSpan min, TimeSpan max)
    {
        TimeSpan delay = default;
        await WaitUntilAsync(() =>
        {
            var pending = Time.PendingDelays.Where(d => d >= min && d <= max).ToArray();
            if (pending.Length == 0)
                return false;
            delay = pending.Min();
            return true;
        }, $"a delay between {min} and {max}");
        Time.Advance(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        return delay;
    }

    public void Dispose() => Http.Dispose();
}
