using ClawScale.Plugins.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClawScale.Plugins.Signal.Tests.Support;

/// <summary>Builds Signal adapters wired to a fake REST API and recording sinks.</summary>
public sealed class SignalTestChannel : IDisposable
{
    public const string BotNumber = "+4930901820";

    public HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

    public RecordingStatusSink Status { get; } = new();

    public SignalChannelAdapter Create(Uri apiBaseUrl, string mode = "polling", string? token = null, string? groupReplies = null)
    {
        var config = new Dictionary<string, string>
        {
            ["api_base_url"] = apiBaseUrl.AbsoluteUri,
            ["number"] = BotNumber,
            ["mode"] = mode,
            ["receive_timeout_seconds"] = "1",
        };
        if (groupReplies is not null) config["group_replies"] = groupReplies;
        var credentials = token is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["api_token"] = token };
        var context = new ChannelContext
        {
            ChannelId = "ch_signal",
            TenantId = "tn_test",
            Config = config,
            Credentials = credentials,
            WebhookSecret = "unused",
            HttpClient = Http,
            Logger = NullLogger.Instance,
            StatusSink = Status,
        };
        return (SignalChannelAdapter)new SignalChannelAdapterFactory().Create(context);
    }

    public static string Payload(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name + ".json"));

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(10);
        }
    }

    public void Dispose() => Http.Dispose();
}
