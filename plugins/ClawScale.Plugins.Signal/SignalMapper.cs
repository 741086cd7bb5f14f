using System.Globalization;
using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Shared;
using ClawScale.Plugins.Signal.Model;

namespace ClawScale.Plugins.Signal;

/// <summary>
/// Pure functions between signal-cli-rest-api's shapes and the kernel's canonical messages. Payload shapes: the
/// REST API's swagger (<c>receive.MessageEnvelope</c>, <c>receive.DataMessage</c>, <c>api.SendMessageV2</c>).
/// </summary>
public static class SignalMapper
{
    /// <summary>The identity provider and channel kind.</summary>
    public const string Provider = "signal";

    /// <summary>The property carrying the author of the user's message, to quote it in the reply (<c>quote_author</c>).</summary>
    public const string QuoteAuthorProperty = "signal.quote_author";

    /// <summary>The REST API's prefix of group recipients.</summary>
    public const string GroupPrefix = "group.";

    /// <summary>The character Signal puts in the text in place of each mention.</summary>
    public const char MentionPlaceholder = '\uFFFC';

    /// <summary>
    /// The REST API's recipient id of a group, from the <c>groupInfo.groupId</c> signal-cli reports:
    /// <c>"group." + base64(UTF-8 bytes of groupId)</c> (signal-cli-rest-api <c>convertInternalGroupIdToGroupId</c>;
    /// also what <c>GET /v1/groups/{number}</c> lists as <c>id</c>, while <c>internal_id</c> is the groupId).
    /// </summary>
    /// <param name="internalGroupId">signal-cli's base64 group id.</param>
    /// <returns>The <c>group.…</c> id to send to.</returns>
    public static string GroupRecipient(string internalGroupId)
    {
        ArgumentNullException.ThrowIfNull(internalGroupId);
        return GroupPrefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(internalGroupId));
    }

    /// <summary>
    /// Maps one received item to an inbound message, or null with the reason when it is not a message the kernel
    /// answers: no envelope or no <c>dataMessage</c> (receipts, typing, sync, calls), sent by the bot's own account,
    /// no text and no attachments (reactions, group updates). Dedup key (<see cref="InboundMessage.ProviderMessageId"/>):
    /// <c>{source}:{timestamp}</c>, Signal's message identity (the sender and its timestamp). Group messages
    /// (<c>groupInfo</c> set) go to chat <c>group.…</c> (<see cref="GroupRecipient"/>) and are addressed to the bot when
    /// <c>mentions</c> names its number or <paramref name="options"/>' account uuid, or every one with
    /// <c>group_replies = all</c>; the bot's mention placeholders are removed from the text. Direct messages go to the
    /// sender's number (or uuid when the number is hidden).
    /// </summary>
    /// <param name="item">The received item.</param>
    /// <param name="options">The channel's options (the bot's number, uuid, group rule).</param>
    /// <param name="reason">Why the item is ignored, when null is returned.</param>
    /// <returns>The message, or null.</returns>
    public static InboundMessage? TryMap(SignalReceived item, SignalOptions options, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(options);
        var envelope = item.Envelope;
        if (envelope is null)
        {
            reason = item.Error is { } error ? "error item: " + error : "no envelope";
            return null;
        }

        if (envelope.DataMessage is not { } data)
        {
            reason = "not a data message (receipt, typing, sync or call)";
            return null;
        }

        var source = envelope.Source ?? envelope.SourceUuid ?? envelope.SourceNumber;
        if (string.IsNullOrEmpty(source))
        {
            reason = "no source";
            return null;
        }

        if (IsBot(envelope.SourceNumber ?? envelope.Source, envelope.SourceUuid, options))
        {
            reason = "sent by the bot's own account";
            return null;
        }

        var attachments = (data.Attachments ?? []).Select(MapAttachment).ToList();
        if (string.IsNullOrWhiteSpace(data.Message) && attachments.Count == 0)
        {
            reason = "no text and no attachments (reaction, group update or similar)";
            return null;
        }

        var text = data.Message;
        var chatKind = ChatKind.Direct;
        var addressed = true;
        var chatId = envelope.SourceNumber ?? envelope.SourceUuid ?? source;
        if (data.GroupInfo?.GroupId is { Length: > 0 } groupId)
        {
            chatKind = ChatKind.Group;
            chatId = GroupRecipient(groupId);
            var mentionsBot = (data.Mentions ?? []).Any(m => IsBot(m.Number, m.Uuid, options));
            addressed = mentionsBot || options.GroupReplies == SignalGroupReplies.All;
            if (mentionsBot && text is not null)
                text = StripBotMentions(text, data.Mentions!, options);
        }

        var timestamp = envelope.Timestamp != 0 ? envelope.Timestamp : data.Timestamp;
        reason = null;
        return new InboundMessage
        {
            ProviderMessageId = $"{source}:{timestamp.ToString(CultureInfo.InvariantCulture)}",
            PlatformMessageId = timestamp.ToString(CultureInfo.InvariantCulture),
            ExternalChatId = chatId,
            Sender = new ExternalUser
            {
                Provider = Provider,
                Value = envelope.SourceUuid ?? envelope.SourceNumber ?? source,
                DisplayName = string.IsNullOrWhiteSpace(envelope.SourceName) ? null : envelope.SourceName,
                Username = envelope.SourceNumber,
            },
            ChatKind = chatKind,
            AddressedToBot = addressed,
            Text = string.IsNullOrWhiteSpace(text) ? null : text,
            Attachments = attachments,
            SentAt = DateTimeOffset.FromUnixTimeMilliseconds(timestamp),
            Properties = new Dictionary<string, string> { [QuoteAuthorProperty] = envelope.SourceNumber ?? envelope.SourceUuid ?? source },
        };
    }

    /// <summary>
    /// The <c>POST /v2/send</c> bodies of an outbound message: the text in chunks of at most
    /// <see cref="SignalOptions.MaxMessageLength"/>, to the route's chat (a number, uuid or <c>group.…</c> id); the first
    /// quotes the user's message when its timestamp and author are known.
    /// </summary>
    /// <param name="message">The outbound message.</param>
    /// <param name="options">The channel's options.</param>
    /// <returns>The requests; none when there is no text.</returns>
    public static IReadOnlyList<SignalSendRequest> PlanSend(OutboundMessage message, SignalOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(message.Text))
            return [];
        long? quote = long.TryParse(message.ReplyToPlatformMessageId, NumberStyles.None, CultureInfo.InvariantCulture, out var ts) ? ts : null;
        message.Properties.TryGetValue(QuoteAuthorProperty, out var author);
        if (author is null) quote = null;
        return ReplySplitter.Split(message.Text, options.MaxMessageLength)
            .Select((chunk, i) => new SignalSendRequest
            {
                Number = options.Number,
                Recipients = [message.ExternalChatId],
                Message = chunk,
                QuoteTimestamp = i == 0 ? quote : null,
                QuoteAuthor = i == 0 && quote is not null ? author : null,
            })
            .ToList();
    }

    /// <summary>
    /// Maps a failed <c>POST /v2/send</c> to a send result. signal-cli-rest-api answers 201 on success, 400 with
    /// <c>error</c> for every failure signal-cli reports (unregistered recipient, unknown group, bad number: retrying
    /// cannot help, except failures whose text says they are network errors or rate limits) and 429 with
    /// <c>challenge_tokens</c> when the Signal server rate-limits the account. So: 0 (network, timeout), 408, 5xx → Retry;
    /// 429 → Retry after <c>Retry-After</c> (a proxy's) or 60 s, saying how to lift the limit; 400 → Permanent with the
    /// error text (Retry when it is a network/rate-limit error); 401/403 (an authenticating proxy) → Permanent, fix
    /// <c>credentials.api_token</c>; 404 → Permanent (wrong <c>api_base_url</c> or number); other → Permanent.
    /// </summary>
    /// <param name="result">The failed answer.</param>
    /// <param name="number">The bot's number, for the rate-limit hint.</param>
    /// <returns>The send result.</returns>
    public static SendResult ToFailedSendResult<T>(SignalApiResult<T> result, string number)
    {
        ArgumentNullException.ThrowIfNull(result);
        var detail = $"{result.StatusCode}: {result.Error}";
        var transient = result.Error is { } e && (e.Contains("rate limit", StringComparison.OrdinalIgnoreCase)
            || e.Contains("RateLimit", StringComparison.Ordinal) || e.Contains("network", StringComparison.OrdinalIgnoreCase)
            || e.Contains("timeout", StringComparison.OrdinalIgnoreCase) || e.Contains("timed out", StringComparison.OrdinalIgnoreCase));
        return result.StatusCode switch
        {
            0 => SendResult.Retry(result.Error ?? "network failure"),
            429 => SendResult.Retry($"rate limited by Signal ({detail}); if it persists, solve the challenge with POST /v1/accounts/{number}/rate-limit-challenge on the REST API", result.RetryAfter ?? TimeSpan.FromSeconds(60)),
            408 or >= 500 => SendResult.Retry($"signal-cli-rest-api server error ({detail})", result.RetryAfter),
            400 when transient => SendResult.Retry($"signal-cli could not reach Signal ({detail})"),
            400 => SendResult.Permanent($"signal-cli refused the message ({detail}); check the recipient (a registered number, or a group the bot is a member of)"),
            401 or 403 => SendResult.Permanent($"the REST API's proxy refused the token ({detail}); set credentials.api_token to the token it expects"),
            404 => SendResult.Permanent($"not found ({detail}); check config.api_base_url and config.number"),
            _ => SendResult.Permanent($"signal-cli-rest-api refused the message ({detail})"),
        };
    }

    private static bool IsBot(string? number, string? uuid, SignalOptions options) =>
        (number is not null && string.Equals(number, options.Number, StringComparison.Ordinal))
        || (uuid is not null && options.AccountUuid is not null && string.Equals(uuid, options.AccountUuid, StringComparison.OrdinalIgnoreCase));

    private static string StripBotMentions(string text, IReadOnlyList<SignalMention> mentions, SignalOptions options)
    {
        var builder = new StringBuilder(text);
        foreach (var mention in mentions.Where(m => IsBot(m.Number, m.Uuid, options)).OrderByDescending(m => m.Start))
        {
            if (mention.Start >= 0 && mention.Length > 0 && mention.Start + mention.Length <= builder.Length)
                builder.Remove(mention.Start, mention.Length);
        }

        return builder.ToString().Trim();
    }

    private static MessageAttachment MapAttachment(SignalAttachment attachment)
    {
        var type = attachment.ContentType ?? string.Empty;
        var kind = type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ? AttachmentKind.Image
            : type.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) ? AttachmentKind.Audio
            : type.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ? AttachmentKind.Video
            : AttachmentKind.Document;
        return new MessageAttachment
        {
            Kind = kind,
            ProviderFileId = attachment.Id,
            FileName = attachment.Filename,
            MimeType = attachment.ContentType,
            SizeBytes = attachment.Size,
        };
    }
}
