using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Shared.WeChat;

namespace ClawScale.Plugins.WeChat;

/// <summary>
/// The WeChat Official Account (公众号) channel plugin's entry point (kind <c>wechat</c>). Credentials: <c>app_secret</c>
/// (AppSecret, for the access token), <c>token</c> (the server configuration's Token), <c>encoding_aes_key</c> (the
/// EncodingAESKey; when set, the channel accepts only safe-mode callbacks). Config: see <see cref="WeChatOptions"/>.
/// </summary>
public sealed class WeChatChannelAdapterFactory : IChannelAdapterFactory
{
    /// <inheritdoc />
    public string Kind => "wechat";

    /// <summary>
    /// <c>["api_base_url"]</c>: where cgi-bin/token receives the AppSecret and message/custom/send the access token.
    /// Changing it needs the credentials again in the same UpdateChannel call.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["api_base_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("app_secret", "AppSecret") { Required = true, Secret = true, Help = "The AppSecret (开发者密码) from 设置与开发 → 基本配置." },
        new("token", "Server token") { Required = true, Secret = true, Help = "The Token of 服务器配置 (设置与开发 → 基本配置): 3 to 32 letters and digits." },
        new("encoding_aes_key", "EncodingAESKey") { Secret = true, Help = "The 43-character EncodingAESKey of 服务器配置; when set only safe-mode callbacks are accepted, when empty plain mode." },
        new("app_id", "AppID") { Required = true, Help = "The AppID (开发者ID, wx…) from 设置与开发 → 基本配置." },
        new("api_base_url", "API base URL") { Help = "Default https://api.weixin.qq.com/cgi-bin/." },
        new("request_timeout_seconds", "Request timeout (s)") { Help = "API call timeout, 1 to 300; default 15." },
    ];

    /// <summary>Checks the config keys of <see cref="WeChatOptions"/> and the credentials.</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found, naming the field; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        WeChatOptions.Parse(config, out var optionErrors);
        var problems = new List<string>(optionErrors);
        CheckCredentials(credentials, problems);
        return problems;
    }

    /// <summary>Creates the adapter of one Official Account channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException">The configuration or credentials are invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = WeChatOptions.Parse(context.Config, out var optionErrors);
        var problems = new List<string>(optionErrors);
        CheckCredentials(context.Credentials, problems);
        if (problems.Count > 0)
            throw new ArgumentException($"WeChat channel {context.ChannelId} is misconfigured: {string.Join("; ", problems)}", nameof(context));
        var token = Get(context.Credentials, "token")!;
        var crypt = Get(context.Credentials, "encoding_aes_key") is { } key ? new WxBizMsgCrypt(token, key, options.AppId) : null;
        return new WeChatChannelAdapter(context, options, token, crypt, Get(context.Credentials, "app_secret")!);
    }

    private static void CheckCredentials(IReadOnlyDictionary<string, string> credentials, List<string> problems)
    {
        if (Get(credentials, "app_secret") is null)
            problems.Add("credentials.app_secret is required: the AppSecret (开发者密码) from 设置与开发 → 基本配置");

        var token = Get(credentials, "token");
        if (token is null)
            problems.Add("credentials.token is required: the Token of 服务器配置 (设置与开发 → 基本配置)");
        else if (token.Length is < 3 or > 32 || !token.All(char.IsAsciiLetterOrDigit))
            problems.Add("credentials.token must be the server configuration's Token: 3 to 32 letters and digits");

        if (Get(credentials, "encoding_aes_key") is { } key && WxBizMsgCrypt.TryDecodeKey(key, out var problem) is null)
            problems.Add("credentials.encoding_aes_key " + problem);
    }

    private static string? Get(IReadOnlyDictionary<string, string> credentials, string key) =>
        credentials.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
