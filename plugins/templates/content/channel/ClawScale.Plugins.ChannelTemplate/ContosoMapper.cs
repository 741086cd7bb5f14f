using System.Globalization;
using System.Text.Json;
using ClawScale.Plugins.ChannelTemplate.Model;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.ChannelTemplate;

/// <summary>
/// Pure functions between the platform's payloads and the kernel's canonical messages. No I/O, no clock: everything
/// they need is a parameter, so tests feed them the platform's documented payloads (kept as files under Payloads/).
/// </summary>
public static class ContosoMapper
{
    /// <summary>The identity provider of senders (the first part of their external identity).</summary>
    public const string Provider = "contoso";

    /// <summary>Parses a webhook body. Only call this after the signature was verified.</summary>
    /// <param name="body">The raw JSON body.</param>
    /// <param name="error">What is wrong when the body is invalid; otherwise null.</param>
    /// <returns>The event, or null when the body is invalid.</returns>
    public static ContosoEvent? ParseEvent(ReadOnlySpan<byte> body, out string? error)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize(body, ContosoJsonContext.Default.ContosoEvent);
            error = parsed is null ? "the body is not a JSON object" : null;
            return parsed;
        }
        catch (JsonException e)
        {
            error = $"the body is not valid JSON for an event ({e.Path ?? "$"}, line {(e.LineNumber ?? 0) + 1})";
            return null;
        }
    }

    /// <summary>
    /// Maps a <c>message</c> event to the kernel's <see cref="InboundMessage"/>. Required: <c>event_id</c>,
    /// <c>message.chat.id</c>, <c>message.from.id</c>, and <c>message.text</c>.
    /// </summary>
    /// <param name="ev">The parsed event.</param>
    /// <param name="receivedAt">When the kernel received it (the message's time when the platform gives none).</param>
    /// <param name="error">What is missing, naming the field; otherwise null.</param>
    /// <returns>The message, or null when a required field is missing.</returns>
    public static InboundMessage? ToInbound(ContosoEvent ev, DateTimeOffset receivedAt, out string? error)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var m = ev.Message;
        error = string.IsNullOrEmpty(ev.EventId) ? "event_id is required"
            : m is null ? "message is required for type \"message\""
            : string.IsNullOrEmpty(m.Chat?.Id) ? "message.chat.id is required"
            : string.IsNullOrEmpty(m.From?.Id) ? "message.from.id is required"
            : string.IsNullOrEmpty(m.Text) ? "message.text is required"
            : null;
        if (error is not null) return null;

        var group = string.Equals(m!.Chat!.Type, "group", StringComparison.Ordinal);
        return new InboundMessage
        {
            ProviderMessageId = ev.EventId!,
            ExternalChatId = m.Chat.Id!,
            ExternalThreadId = string.IsNullOrEmpty(m.ThreadId) ? null : m.ThreadId,
            Sender = new ExternalUser
            {
                Provider = Provider,
                Value = m.From!.Id!,
                DisplayName = string.IsNullOrWhiteSpace(m.From.Name) ? null : m.From.Name,
                IsBot = m.From.IsBot ?? false,
            },
            ChatKind = group ? ChatKind.Group : ChatKind.Direct,
            AddressedToBot = !group || (m.MentionsBot ?? false),
            Text = m.Text,
            PlatformMessageId = m.Id,
            SentAt = m.SentAt ?? receivedAt,
        };
    }

    /// <summary>The platform's send request for an outbound message.</summary>
    /// <param name="message">What the kernel asks to send.</param>
    /// <returns>The request body.</returns>
    public static ContosoSendRequest ToSendRequest(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ContosoSendRequest
        {
            ChatId = message.ExternalChatId,
            ThreadId = message.ExternalThreadId,
            Text = message.Text ?? string.Empty,
            ReplyTo = message.ReplyToPlatformMessageId,
            ClientMessageId = message.IdempotencyKey,
        };
    }

    /// <summary>
    /// Maps the API's answer: 2xx delivered (with the answer's <c>id</c>); 429 and 503 retry after Retry-After
    /// (seconds, RFC 9110 §10.2.3); other 5xx, 408 and no answer retry with the kernel's backoff; any other status is
    /// permanent (the delivery becomes a dead letter), with the status and an excerpt of the body.
    /// </summary>
    /// <param name="result">The API's answer.</param>
    /// <returns>The send result.</returns>
    public static SendResult ToSendResult(ContosoApiResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.StatusCode is >= 200 and <= 299) return SendResult.Delivered(TryReadId(result.Body));
        if (result.StatusCode == 0) return SendResult.Retry("the platform API did not answer: " + result.TransportError);
        var described = $"the platform API answered HTTP {result.StatusCode.ToString(CultureInfo.InvariantCulture)}"
            + (result.Body.Length > 0 ? ": " + (result.Body.Length > 300 ? result.Body[..300] : result.Body) : string.Empty);
        if (result.StatusCode is 429 or 503)
        {
            TimeSpan? after = long.TryParse(result.RetryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
            return SendResult.Retry(described, after);
        }

        return result.StatusCode is 408 or >= 500 ? SendResult.Retry(described) : SendResult.Permanent(described);
    }

    private static string? TryReadId(string body)
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, ContosoJsonContext.Default.ContosoSendResponse)?.Id;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
