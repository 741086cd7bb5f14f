using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Shared.WeChat;

namespace ClawScale.Plugins.WeCom;

/// <summary>
/// The WeCom (企业微信) self-built application channel plugin's entry point (kind <c>wecom</c>). Credentials:
/// <c>corp_secret</c> (the app's Secret, for gettoken), <c>token</c> and <c>encoding_aes_key</c> (the callback's Token and
/// EncodingAESKey from 接收消息 → 设置API接收). Config: see <see cref="WeComOptions"/>.
/// </summary>
public sealed class WeComChannelAdapterFactory : IChannelAdapterFactory
{
    /// <inheritdoc />
    public string Kind => "wecom";

    /// <summary>
    /// <c>["api_base_url"]</c>: where gettoken receives <c>corpsecret</c> and message/send the access token. Changing it
    /// needs the credentials again in the same UpdateChannel call.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["api_base_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("corp_secret", "App secret") { Required = true, Secret = true, Help = "The self-built app's Secret from 应用管理 → the app (shown in the WeCom client)." },
        new("token", "Callback token") { Required = true, Secret = true, Help = "The Token set under 接收消息 → 设置API接收: letters and digits, at most 32." },
        new("encoding_aes_key", "EncodingAESKey") { Required = true, Secret = true, Help = "The 43-character EncodingAESKey set under 接收消息 → 设置API接收." },
        new("corp_id", "Corp ID") { Required = true, Help = "The 企业ID (ww…) from 我的企业 → 企业信息 in the WeCom admin console." },
        new("agent_id", "Agent ID") { Required = true, Help = "The self-built app's AgentId (a positive whole number, for example 1000002) from 应用管理 → the app." },
        new("api_base_url", "Server API base URL") { Help = "Default https://qyapi.weixin.qq.com/cgi-bin/." },
        new("request_timeout_seconds", "Request timeout (s)") { Help = "Server API call timeout, 1 to 300; default 15." },
        new("per_member_per_minute", "Messages per member per minute") { Help = "At most this many messages to one member per minute, 1 to 30; default 30 (WeCom drops the excess silently)." },
    ];

    /// <summary>Checks the config keys of <see cref="WeComOptions"/> and the three credentials.</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found, naming the field; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        WeComOptions.Parse(config, out var optionErrors);
        var problems = new List<string>(optionErrors);
        CheckCredentials(credentials, problems);
        return problems;
    }

    /// <summary>Creates the adapter of one WeCom channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException">The configuration or credentials are invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = WeComOptions.Parse(context.Config, out var optionErrors);
        var problems = new List<string>(optionErrors);
        CheckCredentials(context.Credentials, problems);
        if (problems.Count > 0)
            throw new ArgumentException($"WeCom channel {context.ChannelId} is misconfigured: {string.Join("; ", problems)}", nameof(context));
        var crypt = new WxBizMsgCrypt(Get(context.Credentials, "token")!, Get(context.Credentials, "encoding_aes_key")!, options.CorpId);
        return new WeComChannelAdapter(context, options, crypt, Get(context.Credentials, "corp_secret")!);
    }

    internal static void CheckCredentials(IReadOnlyDictionary<string, string> credentials, List<string> problems)
    {
        if (Get(credentials, "corp_secret") is null)
            problems.Add("credentials.corp_secret is required: the app's Secret (应用管理 → the app → Secret), used with corp_id for gettoken");

        var token = Get(credentials, "token");
        if (token is null)
            problems.Add("credentials.token is required: the Token set under 接收消息 → 设置API接收");
        else if (token.Length > 32 || !token.All(char.IsAsciiLetterOrDigit))
            problems.Add("credentials.token must be the callback Token: letters and digits, at most 32");

        if (Get(credentials, "encoding_aes_key") is not { } key)
            problems.Add("credentials.encoding_aes_key is required: the EncodingAESKey set under 接收消息 → 设置API接收");
        else if (WxBizMsgCrypt.TryDecodeKey(key, out var problem) is null)
            problems.Add("credentials.encoding_aes_key " + problem);
    }

    private static string? Get(IReadOnlyDictionary<string, string> credentials, string key) =>
        credentials.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
