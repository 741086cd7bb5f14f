using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Discord.Tests.Support;

/// <summary>Builds Discord adapters wired to fakes, a fake clock (FakeTimeProvider reporting its pending timers), a fixed random source and recording sinks.</summary>
public sealed class TestChannel : IDisposable
{
    /// <summary>A token shaped like Discord's: base64 of the bot id "1100000000000000001", a timestamp part, an HMAC part.</summary>
    public const string Token = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GhXyZa.Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo";
    public const string BotUserId = "1100000000000000001";

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

    public DiscordChannelAdapter Create(Uri? apiBaseUrl = null, Uri? gatewayUrl = null, string? publicKeyHex = null, string token = Token, string? intents = null)
    {
        var config = new Dictionary<string, string> { ["application_id"] = BotUserId };
        if (apiBaseUrl is not null)
            config["api_base_url"] = apiBaseUrl.AbsoluteUri;
        if (gatewayUrl is not null)
            config["gateway_url"] = gatewayUrl.AbsoluteUri;
        if (publicKeyHex is not null)
            config["public_key"] = publicKeyHex;
        if (intents is not null)
            config["intents"] = intents;
        var context = new ChannelContext
        {
            ChannelId = "ch_test",
            TenantId = "tn_test",
            Config = config,
            Credentials = new Dictionary<string, string> { ["bot_token"] = token },
            WebhookSecret = "unused-by-discord",
            HttpClient = Http,
            Logger = Logger,
            TimeProvider = Time,
            StatusSink = Status,
        };
        var adapter = (DiscordChannelAdapter)new DiscordChannelAdapterFactory().Create(context);
        adapter.NextRandom = () => 0.5;
        return adapter;
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

    /// <summary>Waits until the adapter waits on the clock for exactly <paramref name="delay"/>, then moves the clock by it.</summary>
    public async Task AdvanceWhenWaitingAsync(TimeSpan delay)
    {
        await WaitUntilAsync(() => Time.PendingDelays.Contains(delay), $"a pending delay of {delay}");
        Time.Advance(delay);
    }

    public void Dispose() => Http.Dispose();
}
