using System.Globalization;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Webhook.Model;

namespace ClawScale.Plugins.Webhook;

/// <summary>
/// Pure functions between the webhook channel's JSON (format version 1, see the README) and the kernel's canonical
/// messages, and from callback answers to <see cref="SendResult"/>s.
/// </summary>
public static class WebhookMapper
{
    /// <summary>The only format version this plugin reads and writes.</summary>
    public const int FormatVersion = 1;

    private const int MaxIdLength = 256;
    private const int MaxReasonLength = 60;

    /// <summary>
    /// Parses an inbound body into a message. Required: <c>id</c>, <c>chat_id</c>, <c>sender.id</c> (non-empty strings
    /// of at most 256 characters) and <c>text</c> or a non-empty <c>attachments</c>; each attachment needs a
    /// <c>kind</c> (image|document|audio|video) and an absolute http(s) <c>url</c>. Unknown keys are ignored.
    /// </summary>
    /// <param name="body">The raw JSON body.</param>
    /// <param name="provider">The identity provider of the sender (config <c>provider</c>).</param>
    /// <param name="receivedAt">When the kernel received the call; becomes <see cref="InboundMessage.SentAt"/>.</param>
    /// <param name="error">What is wrong, naming the field (for example <c>sender.id is required</c>), or null.</param>
    /// <returns>The message, or null when the body is invalid.</returns>
    public static InboundMessage? ParseInbound(ReadOnlySpan<byte> body, string provider, DateTimeOffset receivedAt, out string? error)
    {
        InboundPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(body, WebhookJsonContext.Default.InboundPayload);
        }
        catch (JsonException ex)
        {
            error = ex.Path is { Length: > 1 } path
                ? $"{FieldName(path)} has the wrong type or the JSON is malformed there (line {ex.LineNumber + 1})"
                : "the body is not a JSON object (expected {\"id\": …, \"chat_id\": …, \"sender\": {\"id\": …}, \"text\": …})";
            return null;
        }

        if (payload is null)
        {
            error = "the body is not a JSON object (expected {\"id\": …, \"chat_id\": …, \"sender\": {\"id\": …}, \"text\": …})";
            return null;
        }

        if (payload.Version is { } version && version != FormatVersion)
        {
            error = $"version must be {FormatVersion} (got {version.ToString(CultureInfo.InvariantCulture)})";
            return null;
        }

        if ((error = RequiredId(payload.Id, "id") ?? RequiredId(payload.ChatId, "chat_id")) is not null)
            return null;
        if (payload.ThreadId is { Length: > MaxIdLength })
        {
            error = $"thread_id must be at most {MaxIdLength} characters";
            return null;
        }

        if (payload.Sender is null)
        {
            error = "sender is required: an object {\"id\": \"<user id>\", \"name\": \"…\", \"is_bot\": false}";
            return null;
        }

        if ((error = RequiredId(payload.Sender.Id, "sender.id")) is not null)
            return null;

        ChatKind chatKind;
        switch (payload.ChatType)
        {
            case null or "direct": chatKind = ChatKind.Direct; break;
            case "group": chatKind = ChatKind.Group; break;
            default:
                error = $"chat_type must be \"direct\" or \"group\" (got \"{Excerpt(payload.ChatType, 40)}\")";
                return null;
        }

        var attachments = new List<MessageAttachment>();
        if (payload.Attachments is { } list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var attachment = MapAttachment(list[i], i, out error);
                if (attachment is null)
                    return null;
                attachments.Add(attachment);
            }
        }

        if (string.IsNullOrEmpty(payload.Text) && attachments.Count == 0)
        {
            error = "text is required unless attachments has at least one element";
            return null;
        }

        error = null;
        return new InboundMessage
        {
            ProviderMessageId = payload.Id!,
            ExternalChatId = payload.ChatId!,
            ExternalThreadId = string.IsNullOrEmpty(payload.ThreadId) ? null : payload.ThreadId,
            Sender = new ExternalUser
            {
                Provider = provider,
                Value = payload.Sender.Id!,
                DisplayName = string.IsNullOrWhiteSpace(payload.Sender.Name) ? null : payload.Sender.Name,
                IsBot = payload.Sender.IsBot ?? false,
            },
            ChatKind = chatKind,
            AddressedToBot = payload.Addressed ?? chatKind == ChatKind.Direct,
            Text = string.IsNullOrEmpty(payload.Text) ? null : payload.Text,
            Attachments = attachments,
            SentAt = receivedAt,
        };
    }

    /// <summary>The callback body for <paramref name="message"/>; the same for every attempt of a delivery.</summary>
    /// <param name="message">The outbound message.</param>
    /// <returns>The payload.</returns>
    public static CallbackPayload ToCallbackPayload(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new CallbackPayload
        {
            DeliveryId = message.DeliveryId,
            IdempotencyKey = message.IdempotencyKey,
            ChatId = message.ExternalChatId,
            ThreadId = message.ExternalThreadId,
            Text = message.Text,
            ReplyTo = message.ReplyToPlatformMessageId,
            Attachments = message.Attachments.Select(a => new CallbackAttachment
            {
                Kind = KindName(a.Kind),
                Url = a.Url,
                FileId = a.ProviderFileId,
                FileName = a.FileName,
                MimeType = a.MimeType,
                SizeBytes = a.SizeBytes,
                DataBase64 = a.Data is { } data ? Convert.ToBase64String(data.Span) : null,
            }).ToArray(),
        };
    }

    /// <summary>
    /// Maps a callback answer: 2xx → delivered (with the answer's JSON <c>message_id</c>, string or number, when
    /// present); 429 and 503 → retry after the <c>Retry-After</c> header (RFC 9110 §10.2.3: delta-seconds or an
    /// HTTP date, measured from <paramref name="now"/>), or the kernel's backoff without one; 408, other 5xx and
    /// transport failures (status 0) → retry with backoff; other statuses → permanent. The error gives the status and
    /// reason phrase only: the callback's body is not copied into <c>Delivery.last_error</c>, which the admin API shows
    /// (a callback URL pointing at the wrong service would otherwise have that service's answer echoed).
    /// </summary>
    /// <param name="response">The answer.</param>
    /// <param name="now">The current time, for HTTP-date Retry-After values.</param>
    /// <returns>The send result.</returns>
    public static SendResult ToSendResult(WebhookCallbackResponse response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = response.StatusCode;
        if (status is >= 200 and <= 299)
            return SendResult.Delivered(TryReadMessageId(response.Body));
        if (status == 0)
            return SendResult.Retry($"callback_url unreachable: {response.TransportError ?? "no answer"}");

        var described = $"callback_url answered HTTP {status.ToString(CultureInfo.InvariantCulture)}";
        var reason = Excerpt(response.ReasonPhrase, MaxReasonLength);
        if (reason.Length > 0)
            described += $" {reason}";
        if (status is 429 or 503)
            return SendResult.Retry(described, ParseRetryAfter(response.RetryAfter, now));
        if (status == 408 || status >= 500)
            return SendResult.Retry(described);
        if (status is >= 300 and <= 399)
            return SendResult.Permanent(described + "; set config.callback_url to the final URL (redirects are not followed)");
        return SendResult.Permanent(described);
    }

    /// <summary>Parses a <c>Retry-After</c> value: delta-seconds or an HTTP date (RFC 9110 §10.2.3).</summary>
    /// <param name="value">The header value, or null.</param>
    /// <param name="now">The current time, for dates.</param>
    /// <returns>The delay (never negative), or null when absent or unreadable.</returns>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        value = value.Trim();
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(1).TotalSeconds));
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
        {
            var delay = date - now;
            return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }

        return null;
    }

    /// <summary>The wire name of an attachment kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><c>image</c>, <c>document</c>, <c>audio</c> or <c>video</c>.</returns>
    public static string KindName(AttachmentKind kind) => kind switch
    {
        AttachmentKind.Image => "image",
        AttachmentKind.Audio => "audio",
        AttachmentKind.Video => "video",
        _ => "document",
    };

    /// <summary>The first <paramref name="max"/> characters of <paramref name="text"/> with whitespace runs collapsed.</summary>
    /// <param name="text">Any text.</param>
    /// <param name="max">The longest result.</param>
    /// <returns>The excerpt (with "…" when cut).</returns>
    public static string Excerpt(string? text, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
            return string.Empty;
        var builder = new StringBuilder(Math.Min(text.Length, max + 1));
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = true;
                continue;
            }

            if (space)
                builder.Append(' ');
            space = false;
            builder.Append(c);
            if (builder.Length >= max)
                return builder.ToString(0, max) + "…";
        }

        return builder.ToString();
    }

    private static MessageAttachment? MapAttachment(InboundAttachment? attachment, int index, out string? error)
    {
        var field = $"attachments[{index.ToString(CultureInfo.InvariantCulture)}]";
        if (attachment is null)
        {
            error = $"{field} must be an object with kind and url";
            return null;
        }

        AttachmentKind kind;
        switch (attachment.Kind)
        {
            case "image": kind = AttachmentKind.Image; break;
            case "document": kind = AttachmentKind.Document; break;
            case "audio": kind = AttachmentKind.Audio; break;
            case "video": kind = AttachmentKind.Video; break;
            case null or "":
                error = $"{field}.kind is required: image, document, audio or video";
                return null;
            default:
                error = $"{field}.kind must be image, document, audio or video (got \"{Excerpt(attachment.Kind, 40)}\")";
                return null;
        }

        if (string.IsNullOrWhiteSpace(attachment.Url))
        {
            error = $"{field}.url is required: an absolute http(s) URL of the file";
            return null;
        }

        if (!Uri.TryCreate(attachment.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            error = $"{field}.url must be an absolute http(s) URL";
            return null;
        }

        if (attachment.SizeBytes is < 0)
        {
            error = $"{field}.size_bytes must not be negative";
            return null;
        }

        error = null;
        return new MessageAttachment
        {
            Kind = kind,
            Url = attachment.Url,
            FileName = string.IsNullOrWhiteSpace(attachment.FileName) ? null : attachment.FileName,
            MimeType = string.IsNullOrWhiteSpace(attachment.MimeType) ? null : attachment.MimeType,
            SizeBytes = attachment.SizeBytes,
        };
    }

    private static string? RequiredId(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            return $"{field} is required: a non-empty string";
        return value.Length > MaxIdLength ? $"{field} must be at most {MaxIdLength} characters" : null;
    }

    private static string? TryReadMessageId(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("message_id", out var id))
                return null;
            return id.ValueKind switch
            {
                JsonValueKind.String when id.GetString() is { Length: > 0 and <= MaxIdLength } s => s,
                JsonValueKind.Number => id.GetRawText(),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string FieldName(string jsonPath)
    {
        // "$.sender.id" → "sender.id"; "$.attachments[0].url" → "attachments[0].url"; "$['x']" kept readable.
        var name = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return name.Length == 0 ? "the body" : name;
    }
}
