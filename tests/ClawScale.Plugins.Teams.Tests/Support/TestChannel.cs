using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Teams.Tests.Fakes;

namespace ClawScale.Plugins.Teams.Tests.Support;

/// <summary>Builds Teams adapters wired to a fake Bot Framework, a manual clock and recording sinks.</summary>
public sealed class TestChannel : IDisposable
{
    public TestChannel()
    {
        Http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpClient Http { get; }

    /// <summary>The channel's clock (2025-01-01 12:00 UTC); tests sign tokens at its time.</summary>
    public TrackingFakeTimeProvider Time { get; } = new();

    public RecordingStatusSink Status { get; } = new();

    public ListLogger Logger { get; } = new();

    public static Dictionary<string, string> Config(FakeBotFramework fake) => new()
    {
        ["app_id"] = fake.AppId,
        ["openid_metadata_url"] = fake.OpenIdMetadataUrl.AbsoluteUri,
        ["token_endpoint"] = fake.TokenEndpoint.AbsoluteUri,
        ["service_url_hosts"] = "127.0.0.1",
        ["allow_http_service_url"] = "true",
        ["request_timeout_seconds"] = "300",
    };

    public TeamsChannelAdapter Create(FakeBotFramework fake, Action<Dictionary<string, string>>? editConfig = null, string? appPassword = null)
    {
        var config = Config(fake);
        editConfig?.Invoke(config);
        var context = new ChannelContext
        {
            ChannelId = "ch_teams",
            TenantId = "tn_test",
            Config = config,
            Credentials = new Dictionary<string, string> { ["app_password"] = appPassword ?? fake.AppPassword },
            WebhookSecret = "unused-by-teams",
            HttpClient = Http,
            Logger = Logger,
            TimeProvider = Time,
            StatusSink = Status,
        };
        return (TeamsChannelAdapter)new TeamsChannelAdapterFactory().Create(context);
    }

    /// <summary>An activity POST as the kernel hands it over, with <c>Authorization: Bearer {token}</c> when given.</summary>
    public WebhookRequest Post(byte[] body, string? token)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json; charset=utf-8" };
        if (token is not null)
            headers["Authorization"] = "Bearer " + token;
        return new WebhookRequest { Method = "POST", Headers = headers, Body = body, ReceivedAt = Time.GetUtcNow() };
    }

    public void Dispose() => Http.Dispose();
}
