using ClawScale.Plugins.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClawScale.Plugins.WeCom.Tests;

/// <summary>The values of Tencent's official WeCom WXBizMsgCrypt sample, and adapters built with them.</summary>
internal static class WeComTestChannel
{
    public const string Token = "QDG6eK";
    public const string EncodingAesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    public const string CorpId = "wx5823bf96d3bd56c7";
    public const string AgentId = "218";
    public const string CorpSecret = "test-corp-secret-value";

    public static string ReadPayload(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", name));

    public static WeComChannelAdapter Create(HttpClient? http = null, Uri? apiBaseUrl = null, TimeProvider? time = null, IDictionary<string, string>? extraConfig = null)
    {
        var config = new Dictionary<string, string> { ["corp_id"] = CorpId, ["agent_id"] = AgentId };
        if (apiBaseUrl is not null)
            config["api_base_url"] = apiBaseUrl.AbsoluteUri;
        foreach (var (key, value) in extraConfig ?? new Dictionary<string, string>())
            config[key] = value;
        return (WeComChannelAdapter)new WeComChannelAdapterFactory().Create(new ChannelContext
        {
            ChannelId = "ch_wecom",
            TenantId = "tn_test",
            Config = config,
            Credentials = new Dictionary<string, string> { ["corp_secret"] = CorpSecret, ["token"] = Token, ["encoding_aes_key"] = EncodingAesKey },
            WebhookSecret = "unused",
            HttpClient = http ?? new HttpClient(),
            Logger = NullLogger.Instance,
            TimeProvider = time ?? TimeProvider.System,
        });
    }

    public static WebhookRequest Request(string method, string query, string body = "") => new()
    {
        Method = method,
        Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "text/xml" },
        QueryString = query,
        Body = System.Text.Encoding.UTF8.GetBytes(body),
        ReceivedAt = DateTimeOffset.UtcNow,
    };
}
