using System.Globalization;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using Telegram.Bot.Requests;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ClawScale.Plugins.Telegram;

/// <summary>
/// Pure functions between Bot API shapes (Telegram.Bot's types) and ClawScale's canonical messages: Update →
/// <see cref="InboundMessage"/>, <see cref="OutboundMessage"/> → sendMessage/sendPhoto/sendDocument requests, Bot API
/// errors → <see cref="SendResult"/>.
/// </summary>
public static class TelegramMapper
{
    /// <summary>The provider name of Telegram identities.</summary>
    public const string Provider = "telegram";

    /// <summary>
    /// Maps an update. Only <c>message</c> updates carrying text, a caption, a photo or a document are mapped; every other
    /// update (edited_message, channel_post, callback_query, …) and service messages are ignored with a reason.
    /// </summary>
    /// <param name="update">The update.</param>
    /// <param name="bot">The bot, for AddressedToBot and mention removal.</param>
    /// <param name="ignoredReason">Why the update was not mapped, when the result is <see langword="null"/>.</param>
    /// <returns>The canonical message, or <see langword="null"/>.</returns>
    public static InboundMessage? TryMapUpdate(Update update, TelegramBotIdentity bot, out string? ignoredReason)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(bot);
        var message = update.Message;
        if (message is null)
        {
            var kind = update.Type == UpdateType.Unknown ? "unknown" : JsonNamingPolicy.SnakeCaseLower.ConvertName(update.Type.ToString());
            ignoredReason = $"update type \"{kind}\" is not supported (only \"message\")";
            return null;
        }

        if (message.From is null)
        {
            ignoredReason = "message has no sender (anonymous or channel message)";
            return null;
        }

        var attachments = MapAttachments(message);
        var rawText = message.Text ?? message.Caption;
        var entities = message.Text is not null ? message.Entities : message.CaptionEntities;
        if (rawText is null && attachments.Count == 0)
        {
            ignoredReason = "message carries no text, caption, photo or document (a service message or an unsupported media type)";
            return null;
        }

        var isPrivate = message.Chat.Type == ChatType.Private;
        ignoredReason = null;
        return new InboundMessage
        {
            ProviderMessageId = update.Id.ToString(CultureInfo.InvariantCulture),
            PlatformMessageId = message.Id.ToString(CultureInfo.InvariantCulture),
            ExternalChatId = message.Chat.Id.ToString(CultureInfo.InvariantCulture),
            ExternalThreadId = ThreadOf(message)?.ToString(CultureInfo.InvariantCulture),
            Sender = MapUser(message.From),
            ChatKind = isPrivate ? ChatKind.Direct : ChatKind.Group,
            AddressedToBot = isPrivate || IsAddressedToBot(message, bot),
            Text = rawText is null ? null : RemoveBotMentions(rawText, entities, bot),
            Attachments = attachments,
            SentAt = new DateTimeOffset(DateTime.SpecifyKind(message.Date, DateTimeKind.Utc)),
        };
    }

    /// <summary>
    /// The forum topic a message belongs to: <c>message_thread_id</c> when <c>is_topic_message</c> is true or the chat
    /// is a forum (a reply inside a topic keeps it). Reply threads of ordinary groups are not topics and give
    /// <see langword="null"/>: sendMessage's message_thread_id is for forum supergroups only.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The topic id, or <see langword="null"/>.</returns>
    public static long? ThreadOf(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.MessageThreadId is { } thread && (message.IsTopicMessage || message.Chat.IsForum) ? thread : null;
    }

    /// <summary>The canonical user: provider <c>telegram</c>, value <c>from.id</c>, first + last name, username, is_bot.</summary>
    /// <param name="user">The Bot API user.</param>
    /// <returns>The canonical user.</returns>
    public static ExternalUser MapUser(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = string.Join(' ', new[] { user.FirstName, user.LastName }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return new ExternalUser
        {
            Provider = Provider,
            Value = user.Id.ToString(CultureInfo.InvariantCulture),
            DisplayName = name.Length > 0 ? name : null,
            Username = user.Username,
            IsBot = user.IsBot,
        };
    }

    /// <summary>
    /// Whether a group message is addressed to the bot: a <c>mention</c> entity of @bot (case-insensitive), a
    /// <c>text_mention</c> of the bot's id, a <c>bot_command</c> at the start that is bare (<c>/cmd</c>) or names the bot
    /// (<c>/cmd@bot</c>), or a reply to one of the bot's messages. The reply that Telegram attaches to every message
    /// in a forum topic (pointing to the topic's creation message) does not count.
    /// </summary>
    /// <param name="message">The message (text entities or caption entities are used).</param>
    /// <param name="bot">The bot.</param>
    /// <returns>True when addressed to the bot.</returns>
    public static bool IsAddressedToBot(Message message, TelegramBotIdentity bot)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(bot);
        if (message.Chat.Type == ChatType.Private)
            return true;

        var text = message.Text ?? message.Caption;
        var entities = message.Text is not null ? message.Entities : message.CaptionEntities;
        if (text is not null && entities is not null)
        {
            foreach (var entity in entities)
            {
                if (!TrySlice(text, entity, out var value))
                    continue;
                switch (entity.Type)
                {
                    case MessageEntityType.Mention when bot.IsBotUsername(value):
                        return true;
                    case MessageEntityType.TextMention when entity.User?.Id == bot.Id:
                        return true;
                    case MessageEntityType.BotCommand when entity.Offset == 0:
                        var at = value.IndexOf('@', StringComparison.Ordinal);
                        if (at < 0 || bot.IsBotUsername(value[(at + 1)..]))
                            return true;
                        break;
                }
            }
        }

        var reply = message.ReplyToMessage;
        var isTopicRoot = reply is not null && message.IsTopicMessage && reply.Id == message.MessageThreadId;
        if (reply?.From is { } author && !isTopicRoot)
            return author.Id == bot.Id || (author.IsBot && bot.IsBotUsername(author.Username));
        return false;
    }

    /// <summary>
    /// Removes the bot's own mentions (<c>@bot</c>) and the <c>@bot</c> suffix of commands (<c>/help@bot</c> → <c>/help</c>),
    /// then collapses the whitespace left behind and trims.
    /// </summary>
    /// <param name="text">The text or caption.</param>
    /// <param name="entities">Its entities (offsets in UTF-16 code units).</param>
    /// <param name="bot">The bot.</param>
    /// <returns>The cleaned text.</returns>
    public static string RemoveBotMentions(string text, IReadOnlyList<MessageEntity>? entities, TelegramBotIdentity bot)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(bot);
        if (entities is null || entities.Count == 0 || bot.Username is null)
            return text;

        var cuts = new List<(int Start, int Length)>();
        foreach (var entity in entities)
        {
            if (!TrySlice(text, entity, out var value))
                continue;
            if (entity.Type == MessageEntityType.Mention && bot.IsBotUsername(value))
                cuts.Add((entity.Offset, entity.Length));
            else if (entity.Type == MessageEntityType.BotCommand && value.IndexOf('@', StringComparison.Ordinal) is var at and > 0 && bot.IsBotUsername(value[(at + 1)..]))
                cuts.Add((entity.Offset + at, entity.Length - at));
        }

        if (cuts.Count == 0)
            return text;
        var builder = new StringBuilder(text);
        foreach (var (start, length) in cuts.OrderByDescending(c => c.Start))
            builder.Remove(start, length);
        var cleaned = builder.ToString();
        while (cleaned.Contains("  ", StringComparison.Ordinal))
            cleaned = cleaned.Replace("  ", " ", StringComparison.Ordinal);
        return cleaned.Replace(" \n", "\n", StringComparison.Ordinal).Replace("\n ", "\n", StringComparison.Ordinal).Trim();
    }

    /// <summary>The attachments of a message: the largest photo size (Image) and a document (Document), by file_id.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The attachments, possibly empty. Their Url is not set: a download URL contains the bot token.</returns>
    public static IReadOnlyList<MessageAttachment> MapAttachments(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var list = new List<MessageAttachment>();
        if (message.Photo is { Length: > 0 } sizes)
        {
            var largest = sizes.OrderByDescending(p => (long)p.Width * p.Height).ThenByDescending(p => p.FileSize ?? 0).First();
            list.Add(new MessageAttachment
            {
                Kind = AttachmentKind.Image,
                ProviderFileId = largest.FileId,
                MimeType = "image/jpeg",
                SizeBytes = largest.FileSize,
            });
        }

        if (message.Document is { } document)
        {
            list.Add(new MessageAttachment
            {
                Kind = AttachmentKind.Document,
                ProviderFileId = document.FileId,
                FileName = document.FileName,
                MimeType = document.MimeType,
                SizeBytes = document.FileSize,
            });
        }

        return list;
    }

    /// <summary>
    /// Splits text into chunks of at most <paramref name="maxLength"/> UTF-16 code units, cutting at the last paragraph
    /// break, else line break, else space within the limit, else hard (never inside a surrogate pair).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="maxLength">The limit, at least 2 (Telegram: 4096).</param>
    /// <returns>The non-empty chunks, in order.</returns>
    public static IReadOnlyList<string> SplitText(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var chunks = new List<string>();
        var rest = text.AsSpan();
        while (rest.Length > maxLength)
        {
            var window = rest[..maxLength];
            int cut;
            var minimum = maxLength / 4;
            if (window.LastIndexOf("\n\n") is var para and > 0 && para >= minimum)
                cut = para;
            else if (window.LastIndexOf('\n') is var line and > 0 && line >= minimum)
                cut = line;
            else if (window.LastIndexOf(' ') is var space and > 0 && space >= minimum)
                cut = space;
            else
                cut = char.IsHighSurrogate(window[maxLength - 1]) ? maxLength - 1 : maxLength;

            var chunk = rest[..cut].TrimEnd();
            if (chunk.Length > 0)
                chunks.Add(chunk.ToString());
            rest = rest[cut..].TrimStart();
        }

        if (!rest.Trim().IsEmpty)
            chunks.Add(rest.ToString());
        return chunks;
    }

    /// <summary>
    /// Plans the Bot API calls of an outbound message: the text as sendMessage chunks (≤ <see cref="TelegramOptions.MaxMessageLength"/>),
    /// then each attachment (Image → sendPhoto, others → sendDocument) by URL, provider file id or inline upload. When
    /// there are attachments and the text fits a caption (≤ <see cref="TelegramOptions.MaxCaptionLength"/>), it becomes the
    /// first attachment's caption instead. Every call carries message_thread_id when the route has a thread; the first
    /// quotes <see cref="OutboundMessage.ReplyToPlatformMessageId"/> through reply_parameters.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="options">The limits.</param>
    /// <returns>The calls in order; empty when there is nothing to send.</returns>
    /// <exception cref="ArgumentException">
    /// The chat id is neither numeric nor <c>@channelusername</c>, a thread id or reply id is not a 32-bit number (the Bot
    /// API's message_thread_id and message_id), or an attachment has no content.
    /// </exception>
    public static IReadOnlyList<TelegramSendStep> PlanSend(OutboundMessage message, TelegramOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var chat = ParseChatId(message.ExternalChatId);
        int? thread = message.ExternalThreadId is { Length: > 0 } t ? ParseId(t, "ExternalThreadId") : null;
        int? replyTo = message.ReplyToPlatformMessageId is { Length: > 0 } r ? ParseId(r, "ReplyToPlatformMessageId") : null;
        ReplyParameters? Reply(int stepIndex) =>
            stepIndex == 0 && replyTo is { } id ? new ReplyParameters { MessageId = id, AllowSendingWithoutReply = true } : null;

        var steps = new List<TelegramSendStep>();
        var text = string.IsNullOrWhiteSpace(message.Text) ? null : message.Text;
        var captionText = message.Attachments.Count > 0 && text is not null && text.Length <= options.MaxCaptionLength ? text : null;
        if (text is not null && captionText is null)
        {
            foreach (var chunk in SplitText(text, options.MaxMessageLength))
            {
                steps.Add(new TelegramSendStep
                {
                    Text = new SendMessageRequest { ChatId = chat, MessageThreadId = thread, Text = chunk, ReplyParameters = Reply(steps.Count) },
                });
            }
        }

        foreach (var attachment in message.Attachments)
        {
            var reference = attachment.ProviderFileId ?? attachment.Url;
            if (reference is null && attachment.Data is null)
                throw new ArgumentException($"attachment {attachment.FileName ?? "(unnamed)"} has no Url, ProviderFileId or Data", nameof(message));
            var isPhoto = attachment.Kind == AttachmentKind.Image;
            var file = reference is not null
                ? InputFile.FromString(reference)
                : InputFile.FromStream(new MemoryStream(attachment.Data!.Value.ToArray(), writable: false), attachment.FileName ?? (isPhoto ? "photo.jpg" : "file"));
            var caption = steps.Count == 0 ? captionText : null;
            var reply = Reply(steps.Count);
            var uploadMimeType = reference is null ? attachment.MimeType : null;
            steps.Add(isPhoto
                ? new TelegramSendStep
                {
                    Photo = new SendPhotoRequest { ChatId = chat, MessageThreadId = thread, Photo = file, Caption = caption, ReplyParameters = reply },
                    UploadMimeType = uploadMimeType,
                }
                : new TelegramSendStep
                {
                    Document = new SendDocumentRequest { ChatId = chat, MessageThreadId = thread, Document = file, Caption = caption, ReplyParameters = reply },
                    UploadMimeType = uploadMimeType,
                });
        }

        return steps;
    }

    /// <summary>
    /// Maps a failed Bot API call to a send outcome: 429 → Retry with <c>retry_after</c>; 5xx, network errors and
    /// timeouts → Retry; 400 with <c>migrate_to_chat_id</c> → Permanent naming the new chat id; other 4xx (chat not
    /// found, bot blocked or kicked, not enough rights, bad request, token rejected) → Permanent with what it means.
    /// </summary>
    /// <typeparam name="T">The result type of the call.</typeparam>
    /// <param name="result">The failed call.</param>
    /// <returns>The send result.</returns>
    public static SendResult ToFailedSendResult<T>(TelegramApiResult<T> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var description = result.Description ?? "no description";
        if (result.IsTransportFailure || result.ErrorCode >= 500 || result.ErrorCode == 0)
            return SendResult.Retry($"Telegram unavailable: {description}");
        if (result.ErrorCode == 429)
            return SendResult.Retry($"Telegram flood control (429): {description}", result.RetryAfter);
        if (result.MigrateToChatId is { } newChat)
            return SendResult.Permanent($"Telegram {result.ErrorCode}: {description}. The group was upgraded to a supergroup whose chat id is {newChat.ToString(CultureInfo.InvariantCulture)}; messages must go to the new chat id.");
        return SendResult.Permanent($"Telegram {result.ErrorCode}: {description}. {Explain(result.ErrorCode, description)}".TrimEnd());
    }

    private static string Explain(int code, string description)
    {
        var d = description.ToLowerInvariant();
        if (code == 401)
            return "The bot token was rejected: revoke/replace credentials.bot_token with a token from @BotFather.";
        if (d.Contains("chat not found", StringComparison.Ordinal))
            return "The chat id is wrong or the bot has never been in that chat (a user must start the bot first).";
        if (d.Contains("blocked by the user", StringComparison.Ordinal))
            return "The user blocked the bot; nothing can be delivered until they unblock it.";
        if (d.Contains("kicked", StringComparison.Ordinal) || d.Contains("not a member", StringComparison.Ordinal))
            return "The bot was removed from the chat; add it back to deliver.";
        if (d.Contains("deactivated", StringComparison.Ordinal))
            return "The user's account was deleted.";
        if (d.Contains("thread not found", StringComparison.Ordinal))
            return "The forum topic was deleted or closed.";
        if (d.Contains("not enough rights", StringComparison.Ordinal) || d.Contains("have no rights", StringComparison.Ordinal))
            return "The bot lacks the right to post here; a chat admin must grant it.";
        return code == 403 ? "The bot may not write to this chat." : "Telegram refused the request; retrying will not help.";
    }

    private static int ParseId(string value, string field) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ArgumentException($"{field} must be a Telegram numeric id of at most 32 bits (got \"{value}\")", nameof(value));

    private static ChatId ParseChatId(string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? new ChatId(id)
        : value is ['@', _, ..] ? new ChatId(value)
        : throw new ArgumentException($"ExternalChatId must be a Telegram chat id (a number) or @channelusername (got \"{value}\")", nameof(value));

    private static bool TrySlice(string text, MessageEntity entity, out string value)
    {
        if (entity.Offset < 0 || entity.Length <= 0 || entity.Offset + entity.Length > text.Length)
        {
            value = string.Empty;
            return false;
        }

        value = text.Substring(entity.Offset, entity.Length);
        return true;
    }
}
