using System.Globalization;
using System.Text.Json.Nodes;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Shared.WeChat;
using ClawScale.Plugins.WeCom.Model;

namespace ClawScale.Plugins.WeCom;

/// <summary>Pure mapping functions between WeCom's payloads and the kernel's messages.</summary>
public static class WeComMapper
{
    /// <summary>The identity provider of WeCom members (<c>wecom</c>; identity type <c>user_id</c>, value the UserID).</summary>
    public const string Provider = "wecom";

    /// <summary>errcode 40014 "不合法的access_token", 42001 "access_token已过期", 40001 "不合法的secret参数 / invalid credential".</summary>
    public static bool IsTokenError(int? errCode) => errCode is 40014 or 42001 or 40001;

    internal static WeComTextMessage FromFields(IReadOnlyDictionary<string, string> fields)
    {
        fields.TryGetValue("CreateTime", out var created);
        return new WeComTextMessage(
            Field(fields, "ToUserName"),
            Field(fields, "FromUserName"),
            long.TryParse(created, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null,
            Field(fields, "MsgType"),
            fields.TryGetValue("Content", out var content) ? content : null,
            Field(fields, "MsgId"),
            Field(fields, "AgentID"));
    }

    /// <summary>
    /// Maps a decrypted callback. Only text messages (<c>MsgType=text</c>) of this app (<c>AgentID</c>) with a
    /// <c>MsgId</c> and a sender are messages; events and other types are ignored with a reason. A member writes to the app
    /// one to one, so every message is direct and addressed to the bot; replies go back to the sender's UserID. The
    /// deduplication key is <c>MsgId</c> (WeCom retries a callback not answered within 5 s, three times, with the same MsgId).
    /// </summary>
    /// <param name="message">The callback.</param>
    /// <param name="agentId">This channel's AgentId.</param>
    /// <param name="reason">Why it was ignored, or null.</param>
    /// <returns>The message, or null when ignored.</returns>
    internal static InboundMessage? TryMap(WeComTextMessage message, long agentId, out string? reason)
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

        if (message.AgentId is { } id && id != agentId.ToString(CultureInfo.InvariantCulture))
        {
            reason = $"the message is for AgentID {id}, not this channel's agent_id {agentId}";
            return null;
        }

        reason = null;
        return new InboundMessage
        {
            ProviderMessageId = message.MsgId,
            ExternalChatId = message.FromUserName,
            Sender = new ExternalUser { Provider = Provider, Value = message.FromUserName },
            ChatKind = ChatKind.Direct,
            AddressedToBot = true,
            Text = message.Content,
            SentAt = message.CreateTime is { } t ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(t, 0, 253402300799)) : default,
        };
    }

    /// <summary>The message/send body of one text (WeCom "发送应用消息" → 文本消息).</summary>
    internal static string TextBody(string toUser, long agentId, string content) => new JsonObject
    {
        ["touser"] = toUser,
        ["msgtype"] = "text",
        ["agentid"] = agentId,
        ["text"] = new JsonObject { ["content"] = content },
        ["safe"] = 0,
    }.ToJsonString();

    /// <summary>
    /// The outcome of a failed call (WeCom "全局错误码"): no answer, HTTP 429/5xx → retry (with Retry-After when sent);
    /// errcode -1 (系统繁忙) → retry; 45009 (接口调用超过限制) and 45033 (接口并发调用超过限制) → retry after 60 s (the
    /// limits are per minute); a token error still failing after a fresh token (40001/40014/42001) → retry; anything
    /// else (81013 user not in the app's visible range, 40003 invalid UserID, 60020 IP not allowed, …) → dead letter
    /// quoting errcode and errmsg.
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
            -1 => SendResult.Retry($"WeCom is busy: {what}", result.RetryAfter),
            45009 or 45033 => SendResult.Retry($"WeCom rate limit: {what}", result.RetryAfter ?? TimeSpan.FromSeconds(60)),
            _ when IsTokenError(result.ErrCode) => SendResult.Retry($"WeCom refused the access token twice: {what}", result.RetryAfter),
            60020 => SendResult.Permanent($"WeCom refused the call from this IP: {what}; add the gateway's outbound IP to the app's 企业可信IP list"),
            _ => SendResult.Permanent($"WeCom refused the message: {what}"),
        };
    }

    private static string? Field(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
