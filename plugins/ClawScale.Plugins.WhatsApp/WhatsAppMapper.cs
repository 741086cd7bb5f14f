using System.Globalization;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Shared;
using ClawScale.Plugins.WhatsApp.Model;

namespace ClawScale.Plugins.WhatsApp;

/// <summary>
/// Pure functions between WhatsApp Cloud API shapes and the canonical messages: webhook notifications →
/// <see cref="InboundMessage"/>s, <see cref="OutboundMessage"/> → Graph API send requests, and Graph API failures →
/// <see cref="SendResult"/> (WhatsApp Cloud API docs "Webhooks → Payload examples", "Messages", "Error codes").
/// </summary>
public static class WhatsAppMapper
{
    /// <summary>The provider of the external identities this channel creates (<c>whatsapp</c>, identity type <c>wa_id</c>).</summary>
    public const string Provider = "whatsapp";

    /// <summary>
    /// Error codes that mean "too many messages": retried with backoff (or after Retry-After). 4 application rate
    /// limit, 80007 WhatsApp Business Account rate limit, 130429 Cloud API throughput, 131048 spam rate limit, 131056
    /// business/consumer pair rate limit, 133016 registration rate limit.
    /// </summary>
    public static readonly IReadOnlySet<int> RateLimitCodes = new HashSet<int> { 4, 80007, 130429, 131048, 131056, 133016 };

    /// <summary>Error codes of transient faults on Meta's side: 1, 2, 131000, 131016, 131057, 133004. Retried.</summary>
    public static readonly IReadOnlySet<int> TransientCodes = new HashSet<int> { 1, 2, 131000, 131016, 131057, 133004 };

    /// <summary>
    /// Error codes no message can get past until an admin acts: 0 and 190 (access token invalid or expired), 3, 10 and
    /// 200–299 (missing permission), 33 (the phone number id does not exist for this token), 368 (temporarily blocked
    /// for policy violations), 131031 (business account locked), 131042 (payment problem). Dead-lettered and reported
    /// as the channel's error.
    /// </summary>
    public static bool IsChannelError(int code) => code is 0 or 190 or 3 or 10 or 33 or 368 or 131031 or 131042 or (>= 200 and <= 299);

    /// <summary>
    /// Maps one webhook notification to messages. Only <c>messages</c> changes of the configured business number are
    /// read; statuses, other numbers and message types without text or media (reactions, locations, …) are skipped
    /// and named in <paramref name="ignored"/>. Each message: provider id = <c>id</c> (<c>wamid.…</c>), chat and sender
    /// = <c>from</c> (the Cloud API is one-to-one, so every chat is <see cref="ChatKind.Direct"/>), display name from
    /// the matching <c>contacts[].profile.name</c>, text = <c>text.body</c> or the media caption, media as attachments
    /// by their media id, and the quoted message of a reply (<c>context.id</c>) in property <c>whatsapp.context_id</c>.
    /// </summary>
    /// <param name="notification">The parsed body.</param>
    /// <param name="phoneNumberId">The channel's business phone number id.</param>
    /// <param name="receivedAt">When the call arrived; used when a message has no usable timestamp.</param>
    /// <param name="ignored">Receives a reason for each skipped change or message.</param>
    /// <returns>The messages, in the order given.</returns>
    public static IReadOnlyList<InboundMessage> MapNotification(WhatsAppNotification notification, string phoneNumberId, DateTimeOffset receivedAt, List<string> ignored)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(ignored);
        var messages = new List<InboundMessage>();
        foreach (var entry in notification.Entry ?? [])
        {
            foreach (var change in entry.Changes ?? [])
            {
                if (change.Field != "messages" || change.Value is null)
                {
                    ignored.Add($"change of field '{change.Field}' is not a message");
                    continue;
                }

                var value = change.Value;
                if (value.Metadata?.PhoneNumberId is { } target && !string.Equals(target, phoneNumberId, StringComparison.Ordinal))
                {
                    ignored.Add($"change for business number {target}, not this channel's {phoneNumberId}");
                    continue;
                }

                if (value.Statuses is { Count: > 0 } statuses)
                    ignored.Add($"{statuses.Count} status update(s)");

                foreach (var message in value.Messages ?? [])
                {
                    var mapped = MapMessage(message, value.Contacts, receivedAt, out var reason);
                    if (mapped is null)
                        ignored.Add(reason!);
                    else
                        messages.Add(mapped);
                }
            }
        }

        return messages;
    }

    /// <summary>Maps one <c>messages[]</c> item, or returns null with a reason.</summary>
    /// <param name="message">The message.</param>
    /// <param name="contacts">The change's contacts (for the sender's name).</param>
    /// <param name="receivedAt">Fallback time.</param>
    /// <param name="reason">Why it was skipped.</param>
    /// <returns>The message or null.</returns>
    public static InboundMessage? MapMessage(WhatsAppMessage message, IReadOnlyList<WhatsAppContact>? contacts, DateTimeOffset receivedAt, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrEmpty(message.Id) || string.IsNullOrEmpty(message.From))
        {
            reason = "message without id or from";
            return null;
        }

        string? text = null;
        var attachments = new List<MessageAttachment>();
        switch (message.Type)
        {
            case "text":
                text = message.Text?.Body;
                break;
            case "image":
                AddMedia(attachments, message.Image, AttachmentKind.Image, ref text);
                break;
            case "audio":
                AddMedia(attachments, message.Audio, AttachmentKind.Audio, ref text);
                break;
            case "video":
                AddMedia(attachments, message.Video, AttachmentKind.Video, ref text);
                break;
            case "document":
                AddMedia(attachments, message.Document, AttachmentKind.Document, ref text);
                break;
            case "sticker":
                AddMedia(attachments, message.Sticker, AttachmentKind.Image, ref text);
                break;
        }

        if (string.IsNullOrEmpty(text) && attachments.Count == 0)
        {
            reason = $"message {message.Id} of type '{message.Type}' has no text or media the plugin reads";
            return null;
        }

        var name = contacts?.FirstOrDefault(c => string.Equals(c.WaId, message.From, StringComparison.Ordinal))?.Profile?.Name;
        var sentAt = long.TryParse(message.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : receivedAt;
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (message.Context?.Id is { Length: > 0 } contextId)
            properties["whatsapp.context_id"] = contextId;

        reason = null;
        return new InboundMessage
        {
            ProviderMessageId = message.Id,
            ExternalChatId = message.From,
            Sender = new ExternalUser { Provider = Provider, IdentityType = "wa_id", Value = message.From, DisplayName = name },
            ChatKind = ChatKind.Direct,
            AddressedToBot = true,
            Text = text,
            Attachments = attachments,
            SentAt = sentAt,
            Properties = properties,
        };
    }

    /// <summary>
    /// The Graph API calls for one outbound message: its text split into bodies of at most 4,096 characters (at
    /// paragraph, line, then word boundaries); the first quotes <see cref="OutboundMessage.ReplyToPlatformMessageId"/>
    /// as <c>context.message_id</c>. Attachments are not sent by this plugin: each is named by its file name or URL at
    /// the end of the text.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The requests, none when there is nothing to send.</returns>
    public static IReadOnlyList<SendMessageRequest> PlanSend(OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.Text ?? string.Empty;
        var links = message.Attachments.Select(a => a.Url ?? a.FileName).Where(s => !string.IsNullOrEmpty(s)).ToArray();
        if (links.Length > 0)
            text = (text.Length > 0 ? text + "\n\n" : string.Empty) + string.Join("\n", links);
        var parts = ReplySplitter.Split(text, WhatsAppOptions.MaxTextLength);
        return parts.Select((body, i) => new SendMessageRequest
        {
            To = message.ExternalChatId,
            Text = new SendText { Body = body },
            Context = i == 0 && !string.IsNullOrEmpty(message.ReplyToPlatformMessageId) ? new SendContext { MessageId = message.ReplyToPlatformMessageId } : null,
        }).ToArray();
    }

    /// <summary>
    /// Maps a failed call: transport failures, HTTP 429, 5xx and the codes in <see cref="RateLimitCodes"/> and
    /// <see cref="TransientCodes"/> → retry (with Retry-After when sent); 131047 (the 24-hour customer service window
    /// is closed), 131026 (undeliverable), 131030 (not an allowed test recipient) and every other Graph error → dead
    /// letter with the documented code and message quoted (<see cref="IsChannelError"/> codes also say how to fix the
    /// channel). A body that is not Graph JSON is described by its HTTP status only.
    /// </summary>
    /// <param name="result">The failed call.</param>
    /// <returns>The send result.</returns>
    public static SendResult ToFailedSendResult(WhatsAppApiResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.TransportError is { } transport)
            return SendResult.Retry($"WhatsApp Graph API unreachable: {transport}");

        var error = result.Response?.Error;
        if (error?.Code is not { } code)
        {
            var status = $"WhatsApp Graph API answered HTTP {result.HttpStatus}{(result.ReasonPhrase is { } r ? " " + r : string.Empty)}";
            return result.HttpStatus == 429 || result.HttpStatus >= 500 || result.HttpStatus == 408
                ? SendResult.Retry(status, result.RetryAfter)
                : SendResult.Permanent(status + " without a Graph error; check config.graph_base_url and config.graph_api_version");
        }

        var quoted = Describe(error);
        if (RateLimitCodes.Contains(code) || result.HttpStatus == 429)
            return SendResult.Retry($"WhatsApp rate limit ({quoted}); retrying later", result.RetryAfter);
        if (TransientCodes.Contains(code) || result.HttpStatus >= 500)
            return SendResult.Retry($"WhatsApp temporary error ({quoted})", result.RetryAfter);

        var hint = code switch
        {
            131047 => "more than 24 hours have passed since the customer last wrote: WhatsApp's customer service window is closed and free-form messages are refused until the customer writes again (only an approved template message may be sent now)",
            131026 => "the message could not be delivered: the recipient is not on WhatsApp, uses an old version, or has not accepted WhatsApp's latest terms",
            131030 => "the recipient is not in the test number's allowed list: add it in WhatsApp Manager → API Setup, or use a production number",
            131021 => "the recipient is the business number itself",
            190 or 0 => "credentials.access_token is invalid or expired: generate a new System User token with whatsapp_business_messaging and set it with UpdateChannel",
            33 => "config.phone_number_id does not exist for this access token: copy the Phone number ID from WhatsApp Manager → API Setup",
            3 or 10 or (>= 200 and <= 299) => "the access token lacks a permission: give the System User whatsapp_business_messaging on this WhatsApp Business Account",
            368 => "the business account is temporarily blocked for policy violations: see WhatsApp Manager → Account quality",
            131031 => "the business account is locked: see WhatsApp Manager → Account quality",
            131042 => "there is a payment problem on the WhatsApp Business Account: fix the payment method in Business Settings",
            _ => "WhatsApp refused the message; retrying would not help",
        };
        return SendResult.Permanent($"WhatsApp refused the message ({quoted}): {hint}");
    }

    /// <summary>The documented error fields as text: <c>code 131047/2494010: message — details</c>, each at most 300 characters.</summary>
    /// <param name="error">The Graph error.</param>
    /// <returns>The description.</returns>
    public static string Describe(GraphError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var code = error.Code?.ToString(CultureInfo.InvariantCulture) ?? "?";
        if (error.ErrorSubcode is { } sub)
            code += "/" + sub.ToString(CultureInfo.InvariantCulture);
        var text = $"code {code}";
        if (!string.IsNullOrWhiteSpace(error.Message))
            text += ": " + Truncate(error.Message);
        if (!string.IsNullOrWhiteSpace(error.ErrorData?.Details))
            text += " — " + Truncate(error.ErrorData.Details);
        return text;
    }

    private static void AddMedia(List<MessageAttachment> attachments, WhatsAppMedia? media, AttachmentKind kind, ref string? text)
    {
        if (media?.Id is not { Length: > 0 } id)
            return;
        attachments.Add(new MessageAttachment { Kind = kind, ProviderFileId = id, MimeType = media.MimeType, FileName = media.Filename });
        text = media.Caption;
    }

    private static string Truncate(string text)
    {
        var clean = new string(text.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length <= 300 ? clean : string.Concat(clean.AsSpan(0, 300), "…");
    }
}
