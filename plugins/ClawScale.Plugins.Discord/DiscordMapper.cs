using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Discord.Model;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Shared;

namespace ClawScale.Plugins.Discord;

/// <summary>
/// Pure functions between Discord's payloads and the canonical messages. Threads are channels in Discord (a thread's
/// messages carry the thread's id as <c>channel_id</c>), so a thread is its own conversation:
/// <see cref="InboundMessage.ExternalChatId"/> is the thread id and <see cref="InboundMessage.ExternalThreadId"/> stays
/// <see langword="null"/>; replies go to <c>POST /channels/{thread id}/messages</c>.
/// </summary>
public static class DiscordMapper
{
    /// <summary>The provider and identity provider name.</summary>
    public const string Provider = "discord";

    /// <summary>Property carrying the interaction token to the outbound side (a secret, valid 15 minutes).</summary>
    public const string InteractionTokenProperty = "discord.interaction_token";

    /// <summary>Property carrying the interaction's application id.</summary>
    public const string ApplicationIdProperty = "discord.application_id";

    /// <summary>Property carrying the interaction id.</summary>
    public const string InteractionIdProperty = "discord.interaction_id";

    /// <summary>Property carrying the guild id of guild messages.</summary>
    public const string GuildIdProperty = "discord.guild_id";

    /// <summary>
    /// Maps a MESSAGE_CREATE dispatch. Ignored (null, with <paramref name="reason"/>): messages from bots (the bot itself
    /// included) and webhooks, system messages (types other than 0 DEFAULT and 19 REPLY), and messages with neither
    /// content nor attachments (content is empty without the MESSAGE_CONTENT intent). Direct when <c>guild_id</c> is
    /// absent; addressed to the bot in DMs, when <c>mentions</c> contains the bot, or when replying to the bot. The
    /// bot's mention (<c>&lt;@id&gt;</c>, <c>&lt;@!id&gt;</c>) is removed from the text.
    /// </summary>
    /// <param name="message">The dispatch data.</param>
    /// <param name="botUserId">The bot's user id (from READY or the token), or null when unknown.</param>
    /// <param name="reason">Why the message was ignored.</param>
    /// <returns>The message, or null when ignored.</returns>
    public static InboundMessage? TryMapMessage(DiscordMessage message, string? botUserId, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(message);
        reason = null;
        var author = message.Author;
        if (author is null || string.IsNullOrEmpty(author.Id) || string.IsNullOrEmpty(message.Id) || string.IsNullOrEmpty(message.ChannelId))
        {
            reason = "message without id, channel or author";
            return null;
        }

        if (author.Bot == true || message.WebhookId is not null || (botUserId is not null && author.Id == botUserId))
        {
            reason = "message from a bot or webhook";
            return null;
        }

        if (message.Type is not (0 or 19))
        {
            reason = $"system message of type {message.Type}";
            return null;
        }

        var attachments = (message.Attachments ?? []).Where(a => a.Url is not null).Select(MapAttachment).ToArray();
        var text = StripBotMention(message.Content ?? string.Empty, botUserId);
        if (text.Length == 0 && attachments.Length == 0)
        {
            reason = "message without content or attachments (is the MESSAGE_CONTENT intent enabled?)";
            return null;
        }

        var direct = message.GuildId is null;
        var mentioned = botUserId is not null && (message.Mentions ?? []).Any(u => u.Id == botUserId);
        var repliesToBot = botUserId is not null && message.ReferencedMessage?.Author?.Id == botUserId;
        var properties = new Dictionary<string, string>();
        if (message.GuildId is not null)
            properties[GuildIdProperty] = message.GuildId;

        return new InboundMessage
        {
            ProviderMessageId = message.Id,
            PlatformMessageId = message.Id,
            ExternalChatId = message.ChannelId,
            Sender = MapUser(author, message.Member?.Nick),
            ChatKind = direct ? ChatKind.Direct : ChatKind.Group,
            AddressedToBot = direct || mentioned || repliesToBot,
            Text = text.Length == 0 ? null : text,
            Attachments = attachments,
            SentAt = message.Timestamp?.ToUniversalTime() ?? default,
            Properties = properties,
        };
    }

    /// <summary>
    /// Maps an APPLICATION_COMMAND interaction (type 2) to a message whose text is the command as typed
    /// (<c>/name sub option-value …</c>), carrying the interaction token and application id in
    /// <see cref="InboundMessage.Properties"/> so the reply edits the deferred response. The dedup key is the
    /// interaction id. Null (with <paramref name="reason"/>) for other types or an incomplete payload.
    /// </summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="reason">Why it was not mapped.</param>
    /// <returns>The message, or null.</returns>
    public static InboundMessage? TryMapCommand(Interaction interaction, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        reason = null;
        var user = interaction.Member?.User ?? interaction.User;
        var channelId = interaction.ChannelId ?? interaction.Channel?.Id;
        if (interaction.Type != 2 || interaction.Data is null || user is null || channelId is null
            || string.IsNullOrEmpty(interaction.Token) || string.IsNullOrEmpty(interaction.ApplicationId) || string.IsNullOrEmpty(interaction.Id))
        {
            reason = "not a complete APPLICATION_COMMAND interaction";
            return null;
        }

        return new InboundMessage
        {
            ProviderMessageId = interaction.Id,
            ExternalChatId = channelId,
            Sender = MapUser(user, interaction.Member?.Nick),
            ChatKind = interaction.GuildId is null ? ChatKind.Direct : ChatKind.Group,
            AddressedToBot = true,
            Text = CommandText(interaction.Data),
            SentAt = SnowflakeTime(interaction.Id),
            Properties = new Dictionary<string, string>
            {
                [InteractionTokenProperty] = interaction.Token,
                [ApplicationIdProperty] = interaction.ApplicationId,
                [InteractionIdProperty] = interaction.Id,
            },
        };
    }

    /// <summary>Renders a command as typed: <c>/name</c>, then each option depth-first (sub-command names, values).</summary>
    /// <param name="data">The command data.</param>
    /// <returns>For example <c>/ask question:what is 2+2</c> becomes <c>/ask what is 2+2</c>.</returns>
    public static string CommandText(InteractionData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var builder = new StringBuilder("/").Append(data.Name);
        AppendOptions(builder, data.Options);
        return builder.ToString();
    }

    /// <summary>Splits a text into Create Message contents of at most <paramref name="maxLength"/> characters (paragraphs kept whole where possible).</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxLength">The limit (2000 for Discord).</param>
    /// <returns>The chunks; none for a blank text.</returns>
    public static IReadOnlyList<string> SplitContent(string? text, int maxLength) =>
        string.IsNullOrWhiteSpace(text) ? [] : ReplySplitter.Split(text, maxLength);

    /// <summary>
    /// A Create Message <c>nonce</c> (25 characters, the documented maximum) derived from the delivery's idempotency key and
    /// the chunk index, so that a retried delivery is deduplicated by Discord (<c>enforce_nonce</c>) within its window.
    /// </summary>
    /// <param name="idempotencyKey">The delivery's idempotency key.</param>
    /// <param name="chunk">The 0-based chunk index.</param>
    /// <returns>The nonce.</returns>
    public static string Nonce(string idempotencyKey, int chunk)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey + "\n" + chunk.ToString(CultureInfo.InvariantCulture)));
        return Convert.ToHexStringLower(hash)[..25];
    }

    /// <summary>
    /// The bot's user id from its token: the token's first dot-separated part is the base64 of the id. Null when the token
    /// is not shaped so (READY tells the id anyway).
    /// </summary>
    /// <param name="token">The bot token.</param>
    /// <returns>The id, or null.</returns>
    public static string? BotUserIdFromToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var first = token.Split('.')[0].Replace('-', '+').Replace('_', '/');
        first = first.PadRight(first.Length + ((4 - (first.Length % 4)) % 4), '=');
        try
        {
            var id = Encoding.ASCII.GetString(Convert.FromBase64String(first));
            return DiscordOptions.IsSnowflake(id) ? id : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Maps a failed REST answer to a send result (Discord "Rate Limits" and "JSON Error Codes"): 429 → Retry with
    /// <c>retry_after</c>; 5xx, 408 and network failures → Retry; 403 (50001 Missing Access, 50013 Missing Permissions) →
    /// Permanent with the permissions to grant; 404 (10003 Unknown Channel) → Permanent; 401 → Permanent (token);
    /// other 4xx → Permanent with Discord's message.
    /// </summary>
    /// <typeparam name="T">The body type.</typeparam>
    /// <param name="result">The failed answer.</param>
    /// <returns>The send result.</returns>
    public static SendResult ToFailedSendResult<T>(DiscordApiResult<T> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var detail = $"{result.StatusCode}{(result.ErrorCode is { } c ? $"/{c.ToString(CultureInfo.InvariantCulture)}" : string.Empty)}: {result.Description}";
        return result.StatusCode switch
        {
            0 => SendResult.Retry(result.Description ?? "network failure"),
            429 => SendResult.Retry($"rate limited by Discord ({(result.IsGlobal ? "global" : "route")} limit, {detail})", result.RetryAfter),
            408 or >= 500 => SendResult.Retry($"Discord server error ({detail})"),
            401 => SendResult.Permanent($"Discord rejected the bot token ({detail}); set credentials.bot_token to the current token from the developer portal"),
            403 => SendResult.Permanent($"the bot may not post here ({detail}); give its role View Channel, Send Messages (and Send Messages in Threads, Read Message History for replies) in this channel, or re-invite it with those permissions"),
            404 when result.ErrorCode == 10003 => SendResult.Permanent($"unknown channel ({detail}); the channel was deleted or the bot cannot see it"),
            404 => SendResult.Permanent($"not found ({detail})"),
            _ => SendResult.Permanent($"Discord refused the message ({detail})"),
        };
    }

    private static ExternalUser MapUser(DiscordUser user, string? nick) => new()
    {
        Provider = Provider,
        Value = user.Id,
        Username = user.Username,
        DisplayName = nick ?? user.GlobalName ?? user.Username,
        IsBot = user.Bot == true,
    };

    private static MessageAttachment MapAttachment(DiscordAttachment attachment)
    {
        var type = attachment.ContentType ?? string.Empty;
        var kind = type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ? AttachmentKind.Image
            : type.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) ? AttachmentKind.Audio
            : type.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ? AttachmentKind.Video
            : AttachmentKind.Document;
        return new MessageAttachment
        {
            Kind = kind,
            Url = attachment.Url,
            ProviderFileId = attachment.Id,
            FileName = attachment.Filename,
            MimeType = attachment.ContentType,
            SizeBytes = attachment.Size,
        };
    }

    private static string StripBotMention(string content, string? botUserId)
    {
        if (botUserId is not null)
        {
            content = content.Replace($"<@{botUserId}>", string.Empty, StringComparison.Ordinal)
                .Replace($"<@!{botUserId}>", string.Empty, StringComparison.Ordinal);
        }

        return content.Trim();
    }

    private static void AppendOptions(StringBuilder builder, IReadOnlyList<InteractionOption>? options)
    {
        foreach (var option in options ?? [])
        {
            if (option.Type is 1 or 2)
            {
                builder.Append(' ').Append(option.Name);
                AppendOptions(builder, option.Options);
                continue;
            }

            if (option.Value is not { } value)
                continue;
            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => value.GetRawText(),
            };
            builder.Append(' ').Append(text);
        }
    }

    private static DateTimeOffset SnowflakeTime(string id) =>
        ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var snowflake)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)((snowflake >> 22) + 1420070400000UL))
            : default;
}
