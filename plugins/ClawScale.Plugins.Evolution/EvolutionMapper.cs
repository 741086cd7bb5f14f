using System.Globalization;
using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Evolution.Model;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.Evolution;

/// <summary>
/// Pure functions between Evolution API shapes and the canonical messages: <c>messages.upsert</c> events →
/// <see cref="InboundMessage"/>, <see cref="OutboundMessage"/> → <c>sendText</c> requests, failures →
/// <see cref="SendResult"/>.
/// </summary>
public static class EvolutionMapper
{
    /// <summary>The identity provider (<c>whatsapp</c>: the same person as on the WhatsApp Cloud API channel, by number).</summary>
    public const string Provider = "whatsapp";

    /// <summary>The event name normalized: <c>MESSAGES_UPSERT</c>, <c>messages-upsert</c> and <c>messages.upsert</c> → <c>messages.upsert</c>.</summary>
    /// <param name="name">The event as sent, or null.</param>
    /// <returns>The normalized name (empty for null).</returns>
    public static string NormalizeEvent(string? name) =>
        (name ?? string.Empty).Trim().ToLowerInvariant().Replace('_', '.').Replace('-', '.');

    /// <summary>A JID without its device part: <c>5511999999999:12@s.whatsapp.net</c> → <c>5511999999999@s.whatsapp.net</c>.</summary>
    /// <param name="jid">The JID.</param>
    /// <returns>The normalized JID, lower case.</returns>
    public static string NormalizeJid(string jid)
    {
        ArgumentNullException.ThrowIfNull(jid);
        var at = jid.IndexOf('@', StringComparison.Ordinal);
        var user = at < 0 ? jid : jid[..at];
        var server = at < 0 ? string.Empty : jid[at..];
        var colon = user.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
            user = user[..colon];
        return (user + server).Trim().ToLowerInvariant();
    }

    /// <summary>
    /// Maps the <c>data</c> of a <c>messages.upsert</c> event, or returns null with a reason. Skipped: messages the
    /// instance sent itself (<c>key.fromMe</c>, which includes the bot's own replies), status broadcasts, and messages
    /// without text (<c>message.conversation</c> or <c>message.extendedTextMessage.text</c>). Provider id = <c>key.id</c>;
    /// chat = <c>key.remoteJid</c>; <c>…@g.us</c> is a group whose sender is <c>key.participant</c>, anything else a
    /// direct chat with the remote JID. In a group the message is addressed to the bot when its
    /// <c>contextInfo.mentionedJid</c> holds one of <paramref name="botJids"/>, or when it replies to a message of the bot
    /// (<c>contextInfo.participant</c> is one of them); the bot's <c>@number</c> is removed from the text.
    /// </summary>
    /// <param name="data">The event's data.</param>
    /// <param name="botJids">The bot's JIDs (normalized with <see cref="NormalizeJid"/>).</param>
    /// <param name="receivedAt">When the webhook arrived (fallback time).</param>
    /// <param name="reason">Why the message was skipped.</param>
    /// <returns>The message, or null.</returns>
    public static InboundMessage? MapUpsert(EvolutionMessageData data, IReadOnlySet<string> botJids, DateTimeOffset receivedAt, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(botJids);
        reason = null;
        var key = data.Key;
        if (key is null || string.IsNullOrEmpty(key.Id) || string.IsNullOrEmpty(key.RemoteJid))
            return Skip("data.key without id or remoteJid", out reason);
        if (key.FromMe)
            return Skip($"message {key.Id} was sent by the instance itself (fromMe)", out reason);
        if (key.RemoteJid.EndsWith("@broadcast", StringComparison.OrdinalIgnoreCase))
            return Skip($"message {key.Id} is a status or broadcast message", out reason);
        var text = data.Message?.Conversation ?? data.Message?.ExtendedTextMessage?.Text;
        if (string.IsNullOrWhiteSpace(text))
            return Skip($"message {key.Id} of type '{data.MessageType}' has no text", out reason);

        var group = key.RemoteJid.EndsWith("@g.us", StringComparison.OrdinalIgnoreCase);
        var senderJid = group ? key.Participant : key.RemoteJid;
        if (string.IsNullOrEmpty(senderJid))
            return Skip($"group message {key.Id} without key.participant", out reason);

        var context = data.Message?.ExtendedTextMessage?.ContextInfo ?? data.ContextInfo;
        var mentioned = (context?.MentionedJid ?? []).Select(NormalizeJid).Where(botJids.Contains).ToArray();
        var repliesToBot = context?.Participant is { Length: > 0 } quotedAuthor && botJids.Contains(NormalizeJid(quotedAuthor));
        if (mentioned.Length > 0)
        {
            foreach (var jid in mentioned)
                text = text.Replace("@" + jid[..jid.IndexOf('@', StringComparison.Ordinal)], string.Empty, StringComparison.Ordinal);
            text = text.Trim();
        }

        var (identityType, identityValue) = Identity(senderJid);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (context?.StanzaId is { Length: > 0 } quoted)
            properties["evolution.quoted_id"] = quoted;
        return new InboundMessage
        {
            ProviderMessageId = key.Id,
            ExternalChatId = key.RemoteJid,
            Sender = new ExternalUser { Provider = Provider, IdentityType = identityType, Value = identityValue, DisplayName = data.PushName },
            ChatKind = group ? ChatKind.Group : ChatKind.Direct,
            AddressedToBot = !group || mentioned.Length > 0 || repliesToBot,
            Text = text.Length > 0 ? text : data.Message?.Conversation ?? data.Message?.ExtendedTextMessage?.Text,
            SentAt = Timestamp(data.MessageTimestamp) ?? receivedAt,
            Properties = properties,
        };
    }

    /// <summary>
    /// The identity of a sender JID: <c>…@s.whatsapp.net</c> → (<c>wa_id</c>, the number), the same identity the
    /// <c>whatsapp</c> (Cloud API) channel gives that person; <c>…@lid</c> → (<c>lid</c>, the id); anything else →
    /// (<c>jid</c>, the normalized JID).
    /// </summary>
    /// <param name="jid">The sender's JID.</param>
    /// <returns>Identity type and value.</returns>
    public static (string Type, string Value) Identity(string jid)
    {
        var normalized = NormalizeJid(jid);
        var at = normalized.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? ("jid", normalized) : normalized[at..] switch
        {
            "@s.whatsapp.net" => ("wa_id", normalized[..at]),
            "@lid" => ("lid", normalized[..at]),
            _ => ("jid", normalized),
        };
    }

    /// <summary>
    /// The <c>sendText</c> calls of an outbound message: the text split into parts of at most 4,096 characters, to the
    /// route's JID; in a group the first part quotes the message it answers (<c>quoted.key.id</c>) when
    /// <paramref name="quoteInGroups"/>. Attachments are named by URL or file name at the end of the text.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="quoteInGroups">Whether group answers quote.</param>
    /// <returns>The requests; none when there is nothing to send.</returns>
    public static IReadOnlyList<SendTextRequest> PlanSend(OutboundMessage message, bool quoteInGroups)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.Text ?? string.Empty;
        var links = message.Attachments.Select(a => a.Url ?? a.FileName).Where(s => !string.IsNullOrEmpty(s)).ToArray();
        if (links.Length > 0)
            text = (text.Length > 0 ? text + "\n\n" : string.Empty) + string.Join("\n", links);
        var quote = quoteInGroups && message.ExternalChatId.EndsWith("@g.us", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(message.ReplyToPlatformMessageId);
        return ReplySplitter.Split(text, EvolutionOptions.MaxTextLength).Select((part, i) => new SendTextRequest
        {
            Number = message.ExternalChatId,
            Text = part,
            Quoted = i == 0 && quote ? new SendQuoted { Key = new SendQuotedKey { Id = message.ReplyToPlatformMessageId! } } : null,
        }).ToArray();
    }

    /// <summary>
    /// Maps a failed call: network failures, 5xx (for example <c>Connection Closed</c> while the phone reconnects), 408
    /// and 429 → retry; 400 → dead letter (a recipient not on WhatsApp, <c>"exists": false</c>, says so); 401 and 403 →
    /// dead letter, the key is wrong; 404 → dead letter, the instance does not exist. Only Evolution's <c>error</c> and
    /// <c>response.message</c> are quoted.
    /// </summary>
    /// <param name="result">The failed call.</param>
    /// <returns>The send result.</returns>
    public static SendResult ToFailedSendResult(EvolutionApiResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.TransportError is { } transport)
            return SendResult.Retry($"Evolution API unreachable: {transport}");
        var quoted = Describe(result);
        if (result.HttpStatus is 429 or 408 or >= 500)
            return SendResult.Retry($"Evolution API temporary error ({quoted})", result.RetryAfter);
        var hint = result.HttpStatus switch
        {
            401 or 403 => "credentials.api_key is not accepted: set it to the instance's token or the server's AUTHENTICATION_API_KEY",
            404 => "config.instance does not exist on the Evolution server: check its name (instance/fetchInstances)",
            400 when NotOnWhatsApp(result) => "the recipient's number is not on WhatsApp",
            _ => "Evolution refused the message; retrying would not help",
        };
        return SendResult.Permanent($"Evolution API refused the message ({quoted}): {hint}");
    }

    /// <summary>Whether the failure says the channel itself needs an admin (401, 403, 404).</summary>
    /// <param name="result">The failed call.</param>
    /// <returns>True for key and instance errors.</returns>
    public static bool IsChannelError(EvolutionApiResult result) => result?.HttpStatus is 401 or 403 or 404;

    /// <summary><c>HTTP 400 Bad Request: message</c> from the documented error fields, at most 300 characters each.</summary>
    /// <param name="result">The failed call.</param>
    /// <returns>The description.</returns>
    public static string Describe(EvolutionApiResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = $"HTTP {result.HttpStatus}";
        var error = result.Response?.Error ?? result.ReasonPhrase;
        if (!string.IsNullOrWhiteSpace(error))
            text += " " + Truncate(error);
        var message = result.Response?.Response?.Message;
        if (message is { ValueKind: JsonValueKind.String } single)
            text += ": " + Truncate(single.GetString()!);
        else if (message is { ValueKind: JsonValueKind.Array } many)
        {
            var parts = many.EnumerateArray().Take(5).Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : m.GetRawText()).Select(Truncate).ToArray();
            if (parts.Length > 0)
                text += ": " + string.Join("; ", parts);
        }

        return text;
    }

    private static bool NotOnWhatsApp(EvolutionApiResult result) =>
        result.Response?.Response?.Message is { ValueKind: JsonValueKind.Array } many
        && many.EnumerateArray().Any(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("exists", out var exists) && exists.ValueKind == JsonValueKind.False);

    private static DateTimeOffset? Timestamp(JsonElement value)
    {
        long seconds;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetInt64(out seconds):
                break;
            case JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds):
                break;
            case JsonValueKind.Object when value.TryGetProperty("low", out var low) && low.TryGetInt64(out var lowBits):
                seconds = (uint)lowBits;
                break;
            default:
                return null;
        }

        return seconds is > 0 and < 253402300799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    private static InboundMessage? Skip(string why, out string? reason)
    {
        reason = why;
        return null;
    }

    private static string Truncate(string text)
    {
        var clean = new string(text.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length <= 300 ? clean : string.Concat(clean.AsSpan(0, 300), "…");
    }
}
