using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Line.Model;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.Line;

/// <summary>
/// Pure functions between LINE Messaging API shapes and the canonical messages (reference "Webhook event objects",
/// "Send reply message", "Send push message", "Status codes" and "Error responses").
/// </summary>
public static class LineMapper
{
    /// <summary>The provider of the external identities this channel creates (<c>line</c>, identity type <c>user_id</c>).</summary>
    public const string Provider = "line";

    /// <summary>Inbound property: the event's reply token.</summary>
    public const string ReplyTokenProperty = "line.reply_token";

    /// <summary>Inbound property: until when (Unix milliseconds) the reply token is used.</summary>
    public const string ReplyTokenExpiresProperty = "line.reply_token_expires_at";

    /// <summary>Inbound property (group and room messages): the quote token of the user's message.</summary>
    public const string QuoteTokenProperty = "line.quote_token";

    /// <summary>
    /// Maps a webhook body to messages. Read: <c>message</c> events in <c>active</c> mode whose message is text (or an
    /// image, video, audio or file, as an attachment by message id) from a known user. Provider id =
    /// <c>webhookEventId</c> (the same on redelivery), platform message id = <c>message.id</c>, chat = the user, group or
    /// room id (<see cref="ChatKind.Group"/> for groups and rooms), sender = <c>source.userId</c>. In groups and rooms the
    /// message is addressed to the bot only when a mentionee has <c>isSelf: true</c> (the bot's mention is removed from
    /// the text). The reply token and its end (<paramref name="receivedAt"/> + <paramref name="replyWindow"/>) go to the
    /// properties, except for redeliveries, whose token may be stale: those are answered by push. Everything else
    /// (follow, join, postback, stickers, locations, standby mode) is named in <paramref name="ignored"/>.
    /// </summary>
    /// <param name="body">The parsed webhook body.</param>
    /// <param name="receivedAt">When the webhook arrived.</param>
    /// <param name="replyWindow">How long the reply token is used after receipt.</param>
    /// <param name="ignored">Receives (event id, reason) of each skipped event.</param>
    /// <returns>The messages, in the order given.</returns>
    public static IReadOnlyList<InboundMessage> MapEvents(LineWebhookBody body, DateTimeOffset receivedAt, TimeSpan replyWindow, List<(string? EventId, string Reason)> ignored)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(ignored);
        var messages = new List<InboundMessage>();
        foreach (var ev in body.Events ?? [])
        {
            var mapped = MapEvent(ev, receivedAt, replyWindow, out var reason);
            if (mapped is null)
                ignored.Add((ev.WebhookEventId, reason!));
            else
                messages.Add(mapped);
        }

        return messages;
    }

    /// <summary>Maps one event (see <see cref="MapEvents"/>), or returns null with a reason.</summary>
    /// <param name="ev">The event.</param>
    /// <param name="receivedAt">When the webhook arrived.</param>
    /// <param name="replyWindow">How long the reply token is used after receipt.</param>
    /// <param name="reason">Why it was skipped.</param>
    /// <returns>The message or null.</returns>
    public static InboundMessage? MapEvent(LineEvent ev, DateTimeOffset receivedAt, TimeSpan replyWindow, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(ev);
        reason = null;
        if (ev.Type != "message" || ev.Message is null)
            return Skip($"event type '{ev.Type}' is not a message", out reason);
        if (ev.Mode == "standby")
            return Skip("the channel is in standby mode (another module answers this chat)", out reason);
        if (ev.Source?.UserId is not { Length: > 0 } userId)
            return Skip("the message has no source.userId", out reason);
        var (chatId, kind) = ev.Source.Type switch
        {
            "group" => (ev.Source.GroupId, ChatKind.Group),
            "room" => (ev.Source.RoomId, ChatKind.Group),
            _ => (userId, ChatKind.Direct),
        };
        if (string.IsNullOrEmpty(chatId))
            return Skip($"source of type '{ev.Source.Type}' has no chat id", out reason);

        var message = ev.Message;
        string? text = null;
        var attachments = new List<MessageAttachment>();
        switch (message.Type)
        {
            case "text":
                text = message.Text;
                break;
            case "image":
                attachments.Add(new MessageAttachment { Kind = AttachmentKind.Image, ProviderFileId = message.Id });
                break;
            case "video":
                attachments.Add(new MessageAttachment { Kind = AttachmentKind.Video, ProviderFileId = message.Id });
                break;
            case "audio":
                attachments.Add(new MessageAttachment { Kind = AttachmentKind.Audio, ProviderFileId = message.Id });
                break;
            case "file":
                attachments.Add(new MessageAttachment { Kind = AttachmentKind.Document, ProviderFileId = message.Id, FileName = message.FileName, SizeBytes = message.FileSize });
                break;
            default:
                return Skip($"message type '{message.Type}' is not read", out reason);
        }

        if (string.IsNullOrEmpty(message.Id) || (string.IsNullOrEmpty(text) && attachments.Count == 0))
            return Skip("message without id or content", out reason);

        var self = message.Mention?.Mentionees?.Where(m => m.IsSelf).ToArray() ?? [];
        var addressed = kind == ChatKind.Direct || self.Length > 0;
        if (text is not null && self.Length > 0)
            text = RemoveMentions(text, self);

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(ev.ReplyToken) && ev.DeliveryContext?.IsRedelivery != true)
        {
            properties[ReplyTokenProperty] = ev.ReplyToken;
            properties[ReplyTokenExpiresProperty] = (receivedAt + replyWindow).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        }

        if (kind == ChatKind.Group && !string.IsNullOrEmpty(message.QuoteToken))
            properties[QuoteTokenProperty] = message.QuoteToken;

        return new InboundMessage
        {
            ProviderMessageId = string.IsNullOrEmpty(ev.WebhookEventId) ? "message:" + message.Id : ev.WebhookEventId,
            PlatformMessageId = message.Id,
            ExternalChatId = chatId,
            Sender = new ExternalUser { Provider = Provider, Value = userId },
            ChatKind = kind,
            AddressedToBot = addressed,
            Text = text,
            Attachments = attachments,
            SentAt = ev.Timestamp > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ev.Timestamp) : receivedAt,
            Properties = properties,
        };
    }

    /// <summary>
    /// The text message objects of an outbound message in requests of at most 5: the text split into parts of at most
    /// 5,000 characters (paragraph, line, then word boundaries); attachments are named by URL or file name at the end.
    /// The first reply of a turn in a group or room quotes the user's message (its <c>quoteToken</c>, property
    /// <see cref="QuoteTokenProperty"/>), so the group sees which message is answered.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The batches; none when there is nothing to send.</returns>
    public static IReadOnlyList<IReadOnlyList<LineTextMessage>> PlanSend(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.Text ?? string.Empty;
        var links = message.Attachments.Select(a => a.Url ?? a.FileName).Where(s => !string.IsNullOrEmpty(s)).ToArray();
        if (links.Length > 0)
            text = (text.Length > 0 ? text + "\n\n" : string.Empty) + string.Join("\n", links);
        var quoteToken = !string.IsNullOrEmpty(message.ReplyToPlatformMessageId) && message.Properties.TryGetValue(QuoteTokenProperty, out var token) ? token : null;
        return ReplySplitter.Split(text, LineOptions.MaxTextLength)
            .Select((t, i) => new LineTextMessage { Text = t, QuoteToken = i == 0 ? quoteToken : null })
            .Chunk(LineOptions.MaxMessagesPerRequest)
            .Select(c => (IReadOnlyList<LineTextMessage>)c)
            .ToArray();
    }

    /// <summary>
    /// Whether the reply API may be used for this delivery at <paramref name="now"/>: the inbound message's reply token
    /// is present, the delivery is the turn's first reply (it quotes the user's message), this is its first attempt (a
    /// token can be used once, and a failed attempt may have used it), and the token's window has not passed.
    /// </summary>
    /// <param name="message">The delivery.</param>
    /// <param name="now">The current time (the channel's clock).</param>
    /// <param name="replyToken">The token to use.</param>
    /// <returns>True when the reply API is used.</returns>
    public static bool TryGetReplyToken(OutboundMessage message, DateTimeOffset now, out string replyToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        replyToken = string.Empty;
        if (message.Attempt != 1 || string.IsNullOrEmpty(message.ReplyToPlatformMessageId)
            || !message.Properties.TryGetValue(ReplyTokenProperty, out var token) || string.IsNullOrEmpty(token)
            || !message.Properties.TryGetValue(ReplyTokenExpiresProperty, out var expires)
            || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresMs)
            || now.ToUnixTimeMilliseconds() >= expiresMs)
            return false;
        replyToken = token;
        return true;
    }

    /// <summary>
    /// The <c>X-Line-Retry-Key</c> of one push request: a UUID (RFC 9562 version 8) made from the SHA-256 of the channel
    /// id, the delivery's idempotency key and the request's index, so every retry of the same delivery sends the same key
    /// and LINE accepts the message once (within LINE's 24-hour window for retry keys).
    /// </summary>
    /// <param name="channelId">The kernel's channel id.</param>
    /// <param name="idempotencyKey">The delivery's idempotency key.</param>
    /// <param name="index">The request's index within the delivery.</param>
    /// <returns>The key.</returns>
    public static Guid RetryKey(string channelId, string idempotencyKey, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{channelId}\n{idempotencyKey}\n{index.ToString(CultureInfo.InvariantCulture)}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Whether a failed reply means only that its token cannot be used (LINE: 400 <c>Invalid reply token</c>).</summary>
    /// <param name="result">The failed reply.</param>
    /// <returns>True when the message should be pushed instead.</returns>
    public static bool IsInvalidReplyToken(LineApiResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.HttpStatus == 400 && result.Response?.Message?.Contains("reply token", StringComparison.OrdinalIgnoreCase) == true;
    }

    /// <summary>
    /// Maps a failed call (reference "Status codes"): network failures, 5xx and 429 → retry (Retry-After honoured),
    /// except 429 "You have reached your monthly limit." → dead letter (no more push messages this month); 401 →
    /// dead letter, the channel access token is invalid; 400, 403, 404, 410, 413 and other 4xx → dead letter with LINE's
    /// documented <c>message</c> and <c>details</c> quoted (nothing else of the answer).
    /// </summary>
    /// <param name="result">The failed call.</param>
    /// <returns>The send result.</returns>
    public static SendResult ToFailedSendResult(LineApiResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.TransportError is { } transport)
            return SendResult.Retry($"LINE unreachable: {transport}");
        var quoted = Describe(result);
        if (result.HttpStatus == 429)
        {
            return result.Response?.Message?.Contains("monthly limit", StringComparison.OrdinalIgnoreCase) == true
                ? SendResult.Permanent($"LINE refused the push message ({quoted}): the channel's monthly message quota is used up; raise the plan in LINE Official Account Manager or wait for next month")
                : SendResult.Retry($"LINE rate limit ({quoted})", result.RetryAfter);
        }

        if (result.HttpStatus >= 500 || result.HttpStatus == 408)
            return SendResult.Retry($"LINE temporary error ({quoted})", result.RetryAfter);
        var hint = result.HttpStatus switch
        {
            401 => "credentials.channel_access_token is invalid or expired: issue a new long-lived token in the LINE Developers Console (Messaging API tab) and set it with UpdateChannel",
            403 => "the channel may not use this API (plan or permission)",
            404 => "the user, group or room was not found (the user may have blocked the bot, or the bot left the group)",
            _ => "LINE refused the message; retrying would not help",
        };
        return SendResult.Permanent($"LINE refused the message ({quoted}): {hint}");
    }

    /// <summary>The documented error fields as text: <c>HTTP 400: message (property: detail; …)</c>, each part at most 300 characters.</summary>
    /// <param name="result">The failed call.</param>
    /// <returns>The description.</returns>
    public static string Describe(LineApiResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = $"HTTP {result.HttpStatus}";
        if (result.Response?.Message is { Length: > 0 } message)
        {
            text += ": " + Truncate(message);
            var details = (result.Response.Details ?? []).Where(d => !string.IsNullOrEmpty(d.Message)).Take(5)
                .Select(d => string.IsNullOrEmpty(d.Property) ? Truncate(d.Message!) : $"{Truncate(d.Property)}: {Truncate(d.Message!)}").ToArray();
            if (details.Length > 0)
                text += " (" + string.Join("; ", details) + ")";
        }
        else if (result.ReasonPhrase is { } reason)
        {
            text += " " + reason;
        }

        return text;
    }

    private static InboundMessage? Skip(string why, out string? reason)
    {
        reason = why;
        return null;
    }

    private static string RemoveMentions(string text, IReadOnlyList<LineMentionee> mentions)
    {
        var builder = new StringBuilder(text);
        foreach (var mention in mentions.OrderByDescending(m => m.Index))
        {
            if (mention.Index >= 0 && mention.Length > 0 && mention.Index + mention.Length <= builder.Length)
                builder.Remove(mention.Index, mention.Length);
        }

        var result = builder.ToString().Trim();
        return result.Length > 0 ? result : text;
    }

    private static string Truncate(string text)
    {
        var clean = new string(text.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length <= 300 ? clean : string.Concat(clean.AsSpan(0, 300), "…");
    }
}
