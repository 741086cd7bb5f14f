using System.Globalization;
using System.Text.Json.Nodes;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Shared.WeChat;
using ClawScale.Plugins.WeChat.Model;

namespace ClawScale.Plugins.WeChat;

/// <summary>Pure mapping functions between the Official Account payloads and the kernel's messages.</summary>
public static class WeChatMapper
{
    /// <summary>The identity provider of followers (<c>wechat</c>; identity type <c>open_id</c>, value the OpenID).</summary>
    public const string Provider = "wechat";

    /// <summary>The identity type of followers: an OpenID is per Official Account, not a global WeChat user id.</summary>
    public const string IdentityType = "open_id";

    /// <summary>errcode 40001 "invalid credential / access_token is invalid", 40014 "invalid access_token", 42001 "access_token expired".</summary>
    public static bool IsTokenError(int? errCode) => errCode is 40001 or 40014 or 42001;

    internal static WeChatTextMessage FromFields(IReadOnlyDictionary<string, string> fields)
    {
        fields.TryGetValue("CreateTime", out var created);
        return new WeChatTextMessage(
            Field(fields, "ToUserName"),
            Field(fields, "FromUserName"),
            long.TryParse(created, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null,
            Field(fields, "MsgType"),
            fields.TryGetValue("Content", out var content) ? content : null,
            Field(fields, "MsgId"));
    }

    /// <summary>
    /// Maps a message push. Only text messages with a <c>MsgId</c> and a sender are messages; events (subscribe, menu
    /// clicks) and other types are ignored with a reason. A follower writes to the account one to one: every message is
    /// direct and addressed to the bot, and replies go to the sender's OpenID. Deduplication key: <c>MsgId</c> (WeChat
    /// retries an unanswered push three times, 5 s apart, with the same MsgId).
    /// </summary>
    internal static InboundMessage? TryMap(WeChatTextMessage message, out string? reason)
    {
        if (message.MsgType != "text")
        {
            reason = $"MsgType {message.MsgType ?? "(none)"} is not handled (text messages only)";
            return null;
        }

        if (string.IsNullOrEmpty(message.MsgId) || string.IsNullOrEmpty(message.FromUserName))
        {
            reason = "a text message without MsgId or FromUserName";
            return null;
        }

        reason = null;
        return new InboundMessage
        {
            ProviderMessageId = message.MsgId,
            ExternalChatId = message.FromUserName,
            Sender = new ExternalUser { Provider = Provider, IdentityType = IdentityType, Value = message.FromUserName },
            ChatKind = ChatKind.Direct,
            AddressedToBot = true,
            Text = message.Content,
            SentAt = message.CreateTime is { } t ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(t, 0, 253402300799)) : default,
        };
    }

    /// <summary>The message/custom/send body of one text (WeChat "客服消息" → 发消息 → 文本消息).</summary>
    internal static string TextBody(string openId, string content) => new JsonObject
    {
        ["touser"] = openId,
        ["msgtype"] = "text",
        ["text"] = new JsonObject { ["content"] = content },
    }.ToJsonString();

    /// <summary>
    /// The outcome of a failed call (WeChat "全局返回码"): no answer, HTTP 429/5xx → retry (Retry-After when sent);
    /// errcode -1 (system busy) → retry; 45047 (out of response count limit) and 45009 (api freq out of limit) → retry
    /// after 60 s; a token error still failing after a fresh token → retry; 45015 (response out of time limit or
    /// subscription is canceled) → dead letter saying that customer-service messages may only be sent within 48 hours of
    /// the follower's last message; anything else → dead letter quoting errcode and errmsg.
    /// </summary>
    internal static SendResult ToFailure(WxApiResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var what = result.Describe();
        if (result.ErrCode is null || result.ErrCode == 0)
            return result.HttpStatus is 0 or 408 or 429 or >= 500
                ? SendResult.Retry(what, result.RetryAfter)
                : SendResult.Permanent(what + "; check config.api_base_url");
        return result.ErrCode switch
        {
            -1 => SendResult.Retry($"WeChat is busy: {what}", result.RetryAfter),
            45047 or 45009 => SendResult.Retry($"WeChat rate limit: {what}", result.RetryAfter ?? TimeSpan.FromSeconds(60)),
            _ when IsTokenError(result.ErrCode) => SendResult.Retry($"WeChat refused the access token twice: {what}", result.RetryAfter),
            45015 => SendResult.Permanent($"WeChat refused the reply: {what}. Customer-service messages can only be sent within 48 hours after the follower's last message (or the follower unsubscribed); the reply is kept as a dead letter"),
            40003 => SendResult.Permanent($"WeChat refused the OpenID: {what}; the follower is not a follower of this account"),
            48001 => SendResult.Permanent($"WeChat refused the call: {what}; the account has no customer-service message permission (a verified service account is needed)"),
            _ => SendResult.Permanent($"WeChat refused the message: {what}"),
        };
    }

    /// <summary>
    /// What a failed cgi-bin/token means for admins: 40013 (invalid appid) → check config.app_id; 40125 / 40001 (invalid
    /// appsecret) → check credentials.app_secret; 40164 / 61004 (caller IP not in the IP whitelist) → add the gateway's
    /// address to 基本配置 → IP白名单; otherwise errcode and errmsg or the transport error.
    /// </summary>
    internal static (string Problem, bool Permanent) TokenProblem(WxApiResult failure) => failure.ErrCode switch
    {
        40013 => ($"WeChat refused config.app_id ({failure.Describe()}); set it to the AppID from 设置与开发 → 基本配置", true),
        40125 or 40001 => ($"WeChat refused credentials.app_secret ({failure.Describe()}); set it to the current AppSecret", true),
        40164 or 61004 => ($"WeChat refused this caller's IP address ({failure.Describe()}); add the gateway's outbound IP to 基本配置 → IP白名单", true),
        -1 => ($"WeChat is busy: {failure.Describe()}", false),
        null => ($"WeChat token call failed: {failure.Describe()}", failure.HttpStatus is not (0 or 408 or 429 or >= 500)),
        _ => ($"WeChat token call failed: {failure.Describe()}", true),
    };

    private static string? Field(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
