using System.Text.Json;
using System.Text.Json.Nodes;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Shared;
using ClawScale.Plugins.Matrix.Model;

namespace ClawScale.Plugins.Matrix;

/// <summary>
/// Pure functions between the Matrix client-server API's shapes and the kernel's canonical messages (spec sections
/// "m.room.message", "User and room mentions", "Rich replies", "Standard error response").
/// </summary>
public static class MatrixMapper
{
    /// <summary>The identity provider and channel kind.</summary>
    public const string Provider = "matrix";

    /// <summary>
    /// Maps one timeline event of room <paramref name="roomId"/>, or null with the reason when the kernel does not answer
    /// it: not <c>m.room.message</c>, <c>msgtype</c> other than <c>m.text</c> (notices, which bots send, emotes, media),
    /// an edit (<c>m.relates_to.rel_type = m.replace</c>), sent by the bot itself. Dedup key: <c>event_id</c>. In rooms of
    /// more than two members (<paramref name="isGroup"/>) the message is addressed to the bot when
    /// <c>m.mentions.user_ids</c> holds the bot's user id, or, for clients that send no <c>m.mentions</c>, when the body
    /// contains the bot's user id or display name (that mention is removed from the text); or always with
    /// <paramref name="answerAllGroupMessages"/>.
    /// </summary>
    /// <param name="evt">The event.</param>
    /// <param name="roomId">Its room.</param>
    /// <param name="botUserId">The bot's user id.</param>
    /// <param name="botDisplayName">The bot's display name, or null.</param>
    /// <param name="isGroup">Whether the room has more than two members.</param>
    /// <param name="answerAllGroupMessages">config <c>group_replies = all</c>.</param>
    /// <param name="reason">Why it is ignored.</param>
    /// <returns>The message, or null.</returns>
    public static InboundMessage? TryMap(MatrixEvent evt, string roomId, string botUserId, string? botDisplayName, bool isGroup, bool answerAllGroupMessages, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (evt.Type != "m.room.message" || evt.EventId is null || evt.Sender is null || evt.Content.ValueKind != JsonValueKind.Object)
        {
            reason = "not an m.room.message event";
            return null;
        }

        if (string.Equals(evt.Sender, botUserId, StringComparison.Ordinal))
        {
            reason = "sent by the bot itself";
            return null;
        }

        var content = evt.Content;
        var msgtype = content.TryGetProperty("msgtype", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (msgtype != "m.text")
        {
            reason = $"msgtype {msgtype ?? "(none)"} is not m.text";
            return null;
        }

        if (content.TryGetProperty("m.relates_to", out var rel) && rel.ValueKind == JsonValueKind.Object
            && rel.TryGetProperty("rel_type", out var relType) && relType.ValueKind == JsonValueKind.String && relType.GetString() == "m.replace")
        {
            reason = "an edit (m.replace)";
            return null;
        }

        var body = content.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() ?? string.Empty : string.Empty;
        var addressed = true;
        if (isGroup)
        {
            bool mentioned;
            if (content.TryGetProperty("m.mentions", out var mentions) && mentions.ValueKind == JsonValueKind.Object)
            {
                mentioned = mentions.TryGetProperty("user_ids", out var ids) && ids.ValueKind == JsonValueKind.Array
                    && ids.EnumerateArray().Any(i => i.ValueKind == JsonValueKind.String && i.GetString() == botUserId);
            }
            else
            {
                mentioned = body.Contains(botUserId, StringComparison.OrdinalIgnoreCase)
                    || (!string.IsNullOrWhiteSpace(botDisplayName) && body.Contains(botDisplayName, StringComparison.OrdinalIgnoreCase));
            }

            addressed = mentioned || answerAllGroupMessages;
            if (mentioned)
                body = StripMention(body, botUserId, botDisplayName);
        }

        reason = null;
        return new InboundMessage
        {
            ProviderMessageId = evt.EventId,
            ExternalChatId = roomId,
            Sender = new ExternalUser { Provider = Provider, Value = evt.Sender, Username = evt.Sender },
            ChatKind = isGroup ? ChatKind.Group : ChatKind.Direct,
            AddressedToBot = addressed,
            Text = string.IsNullOrWhiteSpace(body) ? null : body,
            SentAt = DateTimeOffset.FromUnixTimeMilliseconds(evt.OriginServerTs),
        };
    }

    /// <summary>
    /// The <c>m.room.message</c> contents of an outbound message: <c>m.text</c> bodies of at most
    /// <paramref name="maxLength"/> characters, the first a rich reply (<c>m.relates_to.m.in_reply_to.event_id</c>) to the
    /// user's event, each with an empty <c>m.mentions</c> (the bot mentions nobody).
    /// </summary>
    /// <param name="message">The outbound message.</param>
    /// <param name="maxLength">The longest body.</param>
    /// <returns>The contents; none without text.</returns>
    public static IReadOnlyList<JsonObject> PlanSend(OutboundMessage message, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(message.Text)) return [];
        return ReplySplitter.Split(message.Text, maxLength).Select((chunk, i) =>
        {
            var content = new JsonObject { ["msgtype"] = "m.text", ["body"] = chunk, ["m.mentions"] = new JsonObject() };
            if (i == 0 && message.ReplyToPlatformMessageId is { } replyTo)
                content["m.relates_to"] = new JsonObject { ["m.in_reply_to"] = new JsonObject { ["event_id"] = replyTo } };
            return content;
        }).ToList();
    }

    /// <summary>
    /// The transaction id of chunk <paramref name="chunk"/>: the delivery's idempotency key (with <c>.{chunk}</c> after
    /// the first), so a retried delivery reuses it and the homeserver answers with the first event instead of sending twice.
    /// </summary>
    public static string TransactionId(string idempotencyKey, int chunk) =>
        chunk == 0 ? idempotencyKey : idempotencyKey + "." + chunk.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Maps a failed send (spec "Standard error response", "Rate limiting"): 429 or <c>M_LIMIT_EXCEEDED</c> → Retry after
    /// <c>retry_after_ms</c> (else <c>Retry-After</c>); 0 (network, timeout), 408 and 5xx → Retry; <c>M_UNKNOWN_TOKEN</c> /
    /// 401 → Permanent (replace the access token); <c>M_FORBIDDEN</c> / 403 → Permanent (the bot is not in the room or may not
    /// post); other 4xx → Permanent with <c>errcode</c> and <c>error</c>.
    /// </summary>
    public static SendResult ToFailedSendResult<T>(MatrixApiResult<T> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var detail = $"{result.StatusCode} {result.ErrCode}: {result.Error}";
        if (result.StatusCode == 429 || result.ErrCode == "M_LIMIT_EXCEEDED")
            return SendResult.Retry($"rate limited by the homeserver ({detail})", result.RetryAfter);
        return result.StatusCode switch
        {
            0 => SendResult.Retry(result.Error ?? "network failure"),
            408 or >= 500 => SendResult.Retry($"homeserver error ({detail})", result.RetryAfter),
            _ when result.ErrCode == "M_UNKNOWN_TOKEN" || result.StatusCode == 401 => SendResult.Permanent($"the homeserver rejected the access token ({detail}); set credentials.access_token to a valid token of the bot account"),
            _ when result.ErrCode == "M_FORBIDDEN" || result.StatusCode == 403 => SendResult.Permanent($"the bot may not post in this room ({detail}); invite it again or give it permission to send messages"),
            _ => SendResult.Permanent($"the homeserver refused the message ({detail})"),
        };
    }

    private static string StripMention(string body, string userId, string? displayName)
    {
        foreach (var name in new[] { userId, displayName })
        {
            if (string.IsNullOrWhiteSpace(name)) continue;
            var at = body.IndexOf(name, StringComparison.OrdinalIgnoreCase);
            if (at < 0) continue;
            var end = at + name.Length;
            if (end < body.Length && body[end] is ':' or ',') end++;
            body = body.Remove(at, end - at);
        }

        return body.Trim();
    }
}
