using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Shared;
using ClawScale.Plugins.Teams.Model;

namespace ClawScale.Plugins.Teams;

/// <summary>
/// Pure mapping between Bot Framework activities and the kernel's canonical messages, and from Connector answers to
/// send results. Sources: Teams docs "Messages in bot conversations", "Channel and group chat conversations with a bot"
/// (mentions), "Status codes from bot conversational APIs" (errors and retry guidance), "Optimize your bot with rate
/// limiting in Teams".
/// </summary>
public static class TeamsMapper
{
    /// <summary>The identity provider of Teams senders.</summary>
    public const string Provider = "teams";

    /// <summary>Property carrying the activity's <c>serviceUrl</c> to the reply.</summary>
    public const string ServiceUrlProperty = "service_url";

    /// <summary>Property carrying the conversation's Entra tenant id.</summary>
    public const string TenantIdProperty = "tenant_id";

    /// <summary>Property carrying <c>conversation.conversationType</c>.</summary>
    public const string ConversationTypeProperty = "conversation_type";

    private const int MaxKeyLength = 256;

    /// <summary>
    /// The deduplication key of an activity: <c>{conversation id}|{activity id}</c>. Teams message ids are unique only within
    /// a conversation (they are millisecond timestamps), so the conversation is part of the key; when that would exceed
    /// 256 characters the conversation id is replaced by its SHA-256 (hex).
    /// </summary>
    /// <param name="conversationId">The activity's <c>conversation.id</c>.</param>
    /// <param name="activityId">The activity's <c>id</c>.</param>
    /// <returns>The key, at most 256 characters when the activity id is at most 190.</returns>
    public static string DedupKey(string conversationId, string activityId)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        ArgumentNullException.ThrowIfNull(activityId);
        var key = conversationId + "|" + activityId;
        if (key.Length <= MaxKeyLength)
            return key;
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(conversationId))) + "|" + activityId;
    }

    /// <summary>Whether an activity has what every message needs: <c>id</c>, <c>serviceUrl</c>, <c>conversation.id</c>, <c>from.id</c>.</summary>
    /// <param name="activity">The activity.</param>
    /// <param name="problem">The first missing field, or null.</param>
    /// <returns>True when complete.</returns>
    public static bool HasRequiredFields(Activity activity, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(activity);
        problem = string.IsNullOrEmpty(activity.Type) ? "type"
            : string.IsNullOrEmpty(activity.Id) ? "id"
            : string.IsNullOrEmpty(activity.ServiceUrl) ? "serviceUrl"
            : string.IsNullOrEmpty(activity.Conversation?.Id) ? "conversation.id"
            : string.IsNullOrEmpty(activity.From?.Id) ? "from.id"
            : null;
        if (problem is not null)
            problem = $"the activity has no {problem}";
        return problem is null;
    }

    /// <summary>
    /// Maps a <c>message</c> activity. Personal chats → <see cref="ChatKind.Direct"/>, always addressed to the bot. Group
    /// chats and channels → <see cref="ChatKind.Group"/>, addressed only when a <c>mention</c> entity names the bot
    /// (<c>mentioned.id</c> equals <c>recipient.id</c>, ignoring case); the mention's text is removed from the message text.
    /// Images (<c>image/*</c> with <c>contentUrl</c>) and Teams files (<c>…teams.file.download.info</c> with
    /// <c>content.downloadUrl</c>) become attachments; the <c>text/html</c> rendition of the text is skipped. The sender
    /// is identified by <c>from.aadObjectId</c> (identity type <c>aad_object_id</c>, stable across bots) when present,
    /// else by <c>from.id</c> (<c>user_id</c>).
    /// </summary>
    /// <param name="activity">The activity (with <see cref="HasRequiredFields"/> true).</param>
    /// <param name="receivedAt">When it arrived, for activities without a timestamp.</param>
    /// <param name="ignoredReason">Why it is not a message for the kernel, or null.</param>
    /// <returns>The message, or null for other activity types, the bot's own messages and empty messages.</returns>
    public static InboundMessage? TryMapActivity(Activity activity, DateTimeOffset receivedAt, out string? ignoredReason)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (!string.Equals(activity.Type, "message", StringComparison.OrdinalIgnoreCase))
            return Ignore($"activity type '{activity.Type}' is not a message", out ignoredReason);

        var from = activity.From!;
        var botId = activity.Recipient?.Id;
        if (string.Equals(from.Role, "bot", StringComparison.OrdinalIgnoreCase) || (botId is not null && string.Equals(from.Id, botId, StringComparison.OrdinalIgnoreCase)))
            return Ignore("the message is from a bot", out ignoredReason);

        var conversation = activity.Conversation!;
        var isGroup = conversation.ConversationType switch
        {
            { } t when t.Equals("personal", StringComparison.OrdinalIgnoreCase) => false,
            { } t when t.Equals("groupChat", StringComparison.OrdinalIgnoreCase) || t.Equals("channel", StringComparison.OrdinalIgnoreCase) => true,
            _ => conversation.IsGroup == true,
        };

        var text = activity.Text ?? string.Empty;
        var mentioned = false;
        foreach (var entity in activity.Entities ?? [])
        {
            if (!string.Equals(entity.Type, "mention", StringComparison.OrdinalIgnoreCase) || botId is null
                || !string.Equals(entity.Mentioned?.Id, botId, StringComparison.OrdinalIgnoreCase))
                continue;
            mentioned = true;
            if (!string.IsNullOrEmpty(entity.Text))
                text = text.Replace(entity.Text, string.Empty, StringComparison.Ordinal);
        }

        text = text.Trim();
        var attachments = MapAttachments(activity.Attachments);
        if (text.Length == 0 && attachments.Count == 0)
            return Ignore("the message has neither text nor attachments", out ignoredReason);

        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { [ServiceUrlProperty] = activity.ServiceUrl! };
        if ((conversation.TenantId ?? TenantOf(activity.ChannelData)) is { Length: > 0 } tenant)
            properties[TenantIdProperty] = tenant;
        if (conversation.ConversationType is { Length: > 0 } type)
            properties[ConversationTypeProperty] = type;

        var useAad = !string.IsNullOrEmpty(from.AadObjectId);
        ignoredReason = null;
        return new InboundMessage
        {
            ProviderMessageId = DedupKey(conversation.Id!, activity.Id!),
            PlatformMessageId = activity.Id,
            ExternalChatId = conversation.Id!,
            Sender = new ExternalUser
            {
                Provider = Provider,
                IdentityType = useAad ? "aad_object_id" : "user_id",
                Value = useAad ? from.AadObjectId! : from.Id!,
                DisplayName = from.Name,
            },
            ChatKind = isGroup ? ChatKind.Group : ChatKind.Direct,
            AddressedToBot = !isGroup || mentioned,
            Text = text.Length == 0 ? null : text,
            Attachments = attachments,
            SentAt = activity.Timestamp ?? receivedAt,
            Properties = properties,
        };
    }

    /// <summary>
    /// Plans the activities of one outbound message: the text split into parts of at most
    /// <see cref="TeamsOptions.MaxMessageLength"/> characters, links to non-image files appended to the text, and images
    /// by URL in an activity of their own (Teams splits text+attachment activities itself and then returns no id; Teams
    /// docs "Messages in bot conversations").
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="options">The channel's options.</param>
    /// <returns>The activities, in order.</returns>
    /// <exception cref="ArgumentException">Nothing in the message can be shown in Teams (no text, no attachment with a URL).</exception>
    public static IReadOnlyList<OutboundActivity> PlanSend(OutboundMessage message, TeamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var text = new StringBuilder(message.Text ?? string.Empty);
        var images = new List<OutboundAttachment>();
        foreach (var attachment in message.Attachments)
        {
            if (attachment.Url is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out _))
                continue;
            if (attachment.Kind == AttachmentKind.Image)
            {
                images.Add(new OutboundAttachment { ContentType = attachment.MimeType ?? "image/png", ContentUrl = url, Name = attachment.FileName });
                continue;
            }

            if (text.Length > 0)
                text.Append("\n\n");
            text.Append('[').Append(EscapeLinkLabel(attachment.FileName ?? url)).Append("](").Append(url).Append(')');
        }

        var activities = ReplySplitter.Split(text.ToString(), options.MaxMessageLength)
            .Select(part => new OutboundActivity { Text = part })
            .ToList();
        if (images.Count > 0)
            activities.Add(new OutboundActivity { Attachments = images });
        if (activities.Count == 0)
            throw new ArgumentException("the message has no text and no attachment with a URL, so there is nothing Teams can show", nameof(message));
        return activities;
    }

    /// <summary>
    /// Maps a failed Connector call to the delivery outcome, following Teams docs "Status codes from bot conversational
    /// APIs": 412, 429, 502, 503, 504 → retry (429 and 503 with their Retry-After); 401 after a token refresh, 403 (blocked,
    /// not in roster, disabled by admin, wrong API host), 404 (conversation or activity gone), 400, 413, 500 and other
    /// 4xx → dead letter with an error saying what to do; network failures and timeouts → retry.
    /// </summary>
    /// <param name="result">The failed call.</param>
    /// <returns>The outcome.</returns>
    public static SendResult ToFailedSendResult(TeamsApiResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.TokenFailure is { } tokenFailure)
            return tokenFailure;
        if (result.TransportError is { } transport)
            return SendResult.Retry("Bot Connector unreachable: " + transport);

        var status = result.HttpStatus;
        var code = result.ErrorCode;
        var said = code is null ? $"HTTP {status} {result.ReasonPhrase}" : $"HTTP {status} {code}{(string.IsNullOrEmpty(result.ErrorMessage) ? string.Empty : ": " + result.ErrorMessage)}";
        return status switch
        {
            429 => SendResult.Retry($"Teams rate limit ({said})", result.RetryAfter),
            412 or 502 or 503 or 504 => SendResult.Retry($"Bot Connector transient error ({said})", result.RetryAfter),
            401 => SendResult.Permanent($"the Bot Connector refused the bot's token even after a new one was fetched ({said}); check that config.app_id and credentials.app_password belong to the Azure Bot resource and that its Microsoft Teams channel is enabled"),
            403 when code == "InvalidBotApiHost" => SendResult.Permanent($"{said}; the conversation belongs to a government (GCC) tenant: add its Connector host to config.service_url_hosts"),
            403 when code is "ConversationBlockedByUser" or "BotDisabledByAdmin" => SendResult.Permanent($"{said}; Teams will not accept messages from the bot here until the user or tenant admin allows it again"),
            403 when code == "BotNotInConversationRoster" => SendResult.Permanent($"{said}; the app was removed from this conversation; reinstall it there"),
            403 => SendResult.Permanent($"the Bot Connector forbade the message ({said})"),
            404 => SendResult.Permanent($"the conversation or the activity replied to no longer exists ({said}); nothing was sent"),
            413 => SendResult.Permanent($"the message is too large for Teams ({said})"),
            400 => SendResult.Permanent($"the Bot Connector refused the activity ({said})"),
            _ when status >= 500 && status != 500 => SendResult.Retry($"Bot Connector error ({said})", result.RetryAfter),
            _ => SendResult.Permanent($"the Bot Connector refused the message ({said})"),
        };
    }

    private static IReadOnlyList<MessageAttachment> MapAttachments(IReadOnlyList<ActivityAttachment>? attachments)
    {
        if (attachments is null || attachments.Count == 0)
            return [];
        var mapped = new List<MessageAttachment>();
        foreach (var attachment in attachments)
        {
            var type = attachment.ContentType ?? string.Empty;
            if (type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && IsHttpUrl(attachment.ContentUrl))
            {
                mapped.Add(new MessageAttachment { Kind = AttachmentKind.Image, Url = attachment.ContentUrl, MimeType = type, FileName = attachment.Name });
            }
            else if (type.Equals("application/vnd.microsoft.teams.file.download.info", StringComparison.OrdinalIgnoreCase)
                && attachment.Content is { ValueKind: JsonValueKind.Object } content
                && content.TryGetProperty("downloadUrl", out var download) && download.ValueKind == JsonValueKind.String && IsHttpUrl(download.GetString()))
            {
                mapped.Add(new MessageAttachment { Kind = AttachmentKind.Document, Url = download.GetString(), FileName = attachment.Name });
            }
        }

        return mapped;
    }

    private static string? TenantOf(JsonElement? channelData) =>
        channelData is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("tenant", out var tenant) && tenant.ValueKind == JsonValueKind.Object
        && tenant.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string EscapeLinkLabel(string label) => label.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);

    private static InboundMessage? Ignore(string reason, out string? ignoredReason)
    {
        ignoredReason = reason;
        return null;
    }
}
