using System.Globalization;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Slack.Model;

namespace ClawScale.Plugins.Slack;

/// <summary>
/// Pure functions between Slack's shapes and the kernel's canonical messages: event_callback → <see cref="InboundMessage"/>,
/// <see cref="OutboundMessage"/> → chat.postMessage calls, Web API errors → <see cref="SendResult"/>.
/// </summary>
public static class SlackMapper
{
    /// <summary>The identity provider of Slack users.</summary>
    public const string Provider = "slack";

    /// <summary>The <see cref="InboundMessage.Properties"/> key holding Slack's <c>event_id</c>.</summary>
    public const string EventIdProperty = "slack.event_id";

    /// <summary>The <see cref="InboundMessage.Properties"/> key holding the workspace id.</summary>
    public const string TeamIdProperty = "slack.team_id";

    /// <summary>Message subtypes that are ordinary user messages; every other subtype is ignored.</summary>
    private static readonly HashSet<string> UserSubtypes = new(StringComparer.Ordinal) { "file_share", "thread_broadcast" };

    /// <summary>
    /// The deduplication key of a message: <c>{channel}:{ts}</c>. Slack sends a <c>message</c> and an
    /// <c>app_mention</c> event (with different <c>event_id</c>s) for one mention in a channel; both carry the same
    /// channel and ts, so the kernel stores the message once. Retries of one event carry the same key as well.
    /// </summary>
    /// <param name="channel">The conversation id.</param>
    /// <param name="ts">The message ts.</param>
    /// <returns>The key.</returns>
    public static string DedupKey(string channel, string ts) => channel + ":" + ts;

    /// <summary>
    /// Maps an event_callback (Slack docs "message event", "app_mention event") to a message, or says why it is ignored.
    /// Ignored: other envelope or event types; messages with a subtype other than <c>file_share</c>/<c>thread_broadcast</c>
    /// (<c>message_changed</c>, <c>message_deleted</c>, <c>bot_message</c>, joins, …); messages with <c>bot_id</c>; the bot's own
    /// messages; events without channel, user or ts.
    /// Mapping: <see cref="InboundMessage.ProviderMessageId"/> = <see cref="DedupKey"/>; chat = channel;
    /// thread = <c>thread_ts</c>, or for a top-level message outside a DM its own ts when <paramref name="replyInThread"/>;
    /// sender = user id (Slack user ids are unique across workspaces; the team is in <see cref="TeamIdProperty"/>);
    /// Direct for <c>channel_type</c> <c>im</c>; addressed in DMs, for <c>app_mention</c>, and when the text contains
    /// <c>&lt;@bot user id&gt;</c>; the bot's mention is removed from the text.
    /// </summary>
    /// <param name="envelope">The event_callback.</param>
    /// <param name="botUserId">The bot's user id when known; otherwise the envelope's first bot authorization is used.</param>
    /// <param name="replyInThread">Whether top-level channel messages start a thread.</param>
    /// <param name="ignoredReason">Why the event was ignored, or null.</param>
    /// <returns>The message, or null when ignored.</returns>
    public static InboundMessage? TryMapEvent(SlackEnvelope envelope, string? botUserId, bool replyInThread, out string? ignoredReason)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Type != "event_callback")
            return Ignore($"envelope type \"{envelope.Type}\" carries no message", out ignoredReason);
        var e = envelope.Event;
        if (e is null)
            return Ignore("event_callback without an event", out ignoredReason);
        if (e.Type is not ("message" or "app_mention"))
            return Ignore($"event type \"{e.Type}\" is not handled", out ignoredReason);
        if (e.Subtype is { } subtype && !UserSubtypes.Contains(subtype))
            return Ignore($"message subtype \"{subtype}\" is not a new user message", out ignoredReason);
        if (!string.IsNullOrEmpty(e.BotId))
            return Ignore("message from a bot (bot_id set)", out ignoredReason);
        if (string.IsNullOrEmpty(e.Channel) || string.IsNullOrEmpty(e.User) || string.IsNullOrEmpty(e.Ts))
            return Ignore("event without channel, user or ts", out ignoredReason);

        botUserId ??= envelope.Authorizations?.FirstOrDefault(a => a.IsBot != false && !string.IsNullOrEmpty(a.UserId))?.UserId;
        if (botUserId is not null && string.Equals(e.User, botUserId, StringComparison.Ordinal))
            return Ignore("the bot's own message", out ignoredReason);

        var direct = e.ChannelType == "im" || (e.ChannelType is null && e.Channel.StartsWith('D'));
        var mention = botUserId is null ? null : "<@" + botUserId + ">";
        var mentioned = mention is not null && e.Text?.Contains(mention, StringComparison.Ordinal) == true;
        var text = e.Text;
        if (mentioned)
            text = text!.Replace(mention!, string.Empty, StringComparison.Ordinal).Trim();

        string? thread = e.ThreadTs;
        if (thread is null && !direct && replyInThread)
            thread = e.Ts;

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (envelope.EventId is { } eventId)
            properties[EventIdProperty] = eventId;
        if ((envelope.TeamId ?? e.Team) is { } team)
            properties[TeamIdProperty] = team;

        ignoredReason = null;
        return new InboundMessage
        {
            ProviderMessageId = DedupKey(e.Channel, e.Ts),
            ExternalChatId = e.Channel,
            ExternalThreadId = thread,
            Sender = new ExternalUser { Provider = Provider, Value = e.User, IsBot = false },
            ChatKind = direct ? ChatKind.Direct : ChatKind.Group,
            AddressedToBot = direct || e.Type == "app_mention" || mentioned,
            Text = string.IsNullOrEmpty(text) ? null : text,
            Attachments = MapFiles(e.Files),
            PlatformMessageId = e.Ts,
            SentAt = ParseTs(e.Ts),
            Properties = properties,
        };
    }

    /// <summary>The <see cref="InboundMessage.Properties"/> key holding a slash command's name (<c>/weather</c>).</summary>
    public const string CommandProperty = "slack.command";

    /// <summary>
    /// Maps a slash command (Slack docs "Enabling interactivity with Slash commands": the fields <c>token</c>,
    /// <c>team_id</c>, <c>team_domain</c>, <c>enterprise_id</c>, <c>channel_id</c>, <c>channel_name</c>, <c>user_id</c>,
    /// <c>user_name</c>, <c>command</c>, <c>text</c>, <c>response_url</c>, <c>trigger_id</c>, <c>api_app_id</c>) to a
    /// message. Used for both transports: the form-encoded POST of the Events API mode and the <c>payload</c> of a
    /// Socket Mode <c>slash_commands</c> envelope (the same fields as JSON strings). Ignored (null): no <c>command</c>
    /// (another interactivity payload), or no <c>channel_id</c>, <c>user_id</c> or <c>trigger_id</c>.
    /// Mapping: <see cref="InboundMessage.ProviderMessageId"/> = <c>command:{trigger_id}</c> (unique per invocation, so a
    /// retry is stored once); chat = <c>channel_id</c>, no thread (Slack does not run app commands in threads), so the
    /// reply goes by chat.postMessage to that conversation; sender = <c>user_id</c>; Direct when <c>channel_id</c> starts
    /// with <c>D</c> or <c>channel_name</c> is <c>directmessage</c>; always addressed to the bot; text = the command and
    /// its text (<c>/weather 94070</c>); <see cref="CommandProperty"/> and <see cref="TeamIdProperty"/> set.
    /// <c>response_url</c> is not kept: it is a bearer capability valid for 30 minutes, shorter than a delivery may be retried.
    /// </summary>
    /// <param name="fields">The command's fields (names as Slack sends them).</param>
    /// <param name="receivedAt">When the command arrived (the payload carries no time).</param>
    /// <param name="ignoredReason">Why it was ignored, or null.</param>
    /// <returns>The message, or null when ignored.</returns>
    public static InboundMessage? TryMapSlashCommand(IReadOnlyDictionary<string, string> fields, DateTimeOffset receivedAt, out string? ignoredReason)
    {
        ArgumentNullException.ThrowIfNull(fields);
        string? Field(string name) => fields.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
        if (Field("command") is not { } command)
            return Ignore("form payload without a command (not a slash command)", out ignoredReason);
        if (Field("channel_id") is not { } channel || Field("user_id") is not { } user || Field("trigger_id") is not { } trigger)
            return Ignore("slash command without channel_id, user_id or trigger_id", out ignoredReason);

        var properties = new Dictionary<string, string>(StringComparer.Ordinal) { [CommandProperty] = command };
        if (Field("team_id") is { } team)
            properties[TeamIdProperty] = team;
        var text = Field("text")?.Trim();
        var direct = channel.StartsWith('D') || Field("channel_name") == "directmessage";

        ignoredReason = null;
        return new InboundMessage
        {
            ProviderMessageId = "command:" + trigger,
            ExternalChatId = channel,
            ExternalThreadId = null,
            Sender = new ExternalUser { Provider = Provider, Value = user, IsBot = false },
            ChatKind = direct ? ChatKind.Direct : ChatKind.Group,
            AddressedToBot = true,
            Text = string.IsNullOrEmpty(text) ? command : command + " " + text,
            PlatformMessageId = null,
            SentAt = receivedAt,
            Properties = properties,
        };
    }

    /// <summary>
    /// Parses an <c>application/x-www-form-urlencoded</c> body (<c>+</c> is a space, <c>%XX</c> UTF-8 escapes); a name
    /// given twice keeps its first value. Malformed escapes are kept as written.
    /// </summary>
    /// <param name="body">The body.</param>
    /// <returns>The fields.</returns>
    public static IReadOnlyDictionary<string, string> ParseForm(ReadOnlySpan<byte> body)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in System.Text.Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            fields.TryAdd(name, value);
        }

        return fields;

        static string Decode(string s) => System.Net.WebUtility.UrlDecode(s);
    }

    /// <summary>Converts a Slack ts (<c>"1355517523.000005"</c>, Unix seconds with microseconds) to a time.</summary>
    /// <param name="ts">The ts.</param>
    /// <returns>The time, or the Unix epoch when unparsable.</returns>
    public static DateTimeOffset ParseTs(string? ts) =>
        decimal.TryParse(ts, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300799m
            ? DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond))
            : DateTimeOffset.UnixEpoch;

    /// <summary>
    /// Plans chat.postMessage calls for a message: the text in chunks of at most <see cref="SlackOptions.MaxMessageLength"/>
    /// (split at a line or word boundary where possible); attachments other than images with a URL are added to the
    /// last chunk as <c>&lt;url|name&gt;</c> links; images with a URL go in one further message as image blocks (at most
    /// 50 per message, Slack's block limit). Every call goes to the route's channel and thread (<c>thread_ts</c> =
    /// <see cref="OutboundMessage.ExternalThreadId"/>).
    /// </summary>
    /// <param name="message">What to send.</param>
    /// <param name="options">The channel's options.</param>
    /// <returns>The calls in order; empty when there is nothing to send.</returns>
    /// <exception cref="ArgumentException">An attachment has no http(s) URL (uploads are not supported).</exception>
    public static IReadOnlyList<PostMessageRequest> PlanSend(OutboundMessage message, SlackOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        var images = new List<MessageAttachment>();
        var links = new List<string>();
        foreach (var attachment in message.Attachments)
        {
            if (attachment.Url is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                throw new ArgumentException($"attachment \"{attachment.FileName ?? attachment.ProviderFileId ?? "unnamed"}\" has no http(s) URL; the Slack plugin shares files by URL only (uploads are not supported)", nameof(message));
            if (attachment.Kind == AttachmentKind.Image)
                images.Add(attachment);
            else
                links.Add($"<{uri.AbsoluteUri}|{EscapeLinkLabel(attachment.FileName ?? uri.Segments[^1])}>");
        }

        var text = message.Text ?? string.Empty;
        if (links.Count > 0)
            text = text.Length == 0 ? string.Join('\n', links) : text + "\n" + string.Join('\n', links);

        var calls = new List<PostMessageRequest>();
        foreach (var chunk in SplitText(text, options.MaxMessageLength))
            calls.Add(new PostMessageRequest { Channel = message.ExternalChatId, ThreadTs = message.ExternalThreadId, Text = chunk });

        foreach (var group in images.Chunk(50))
        {
            calls.Add(new PostMessageRequest
            {
                Channel = message.ExternalChatId,
                ThreadTs = message.ExternalThreadId,
                Text = string.Join(", ", group.Select(i => i.FileName ?? "image")),
                Blocks = group.Select(i => new SlackBlock { Type = "image", ImageUrl = i.Url, AltText = i.FileName ?? "image" }).ToArray(),
            });
        }

        return calls;
    }

    /// <summary>
    /// Splits <paramref name="text"/> into chunks of at most <paramref name="max"/> UTF-16 code units, preferring a
    /// line break, then a space, in the second half of a chunk; never splits a surrogate pair.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="max">The chunk limit (at least 2).</param>
    /// <returns>The non-empty chunks; none for an empty text.</returns>
    public static IReadOnlyList<string> SplitText(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 2);
        var chunks = new List<string>();
        var rest = text.AsSpan();
        while (rest.Length > max)
        {
            var window = rest[..max];
            var cut = window.LastIndexOf('\n');
            if (cut < max / 2)
                cut = window.LastIndexOf(' ');
            if (cut < max / 2)
                cut = char.IsHighSurrogate(window[max - 1]) ? max - 1 : max;
            chunks.Add(rest[..cut].ToString());
            rest = rest[cut..];
            if (rest.Length > 0 && (rest[0] == '\n' || rest[0] == ' '))
                rest = rest[1..];
        }

        if (rest.Length > 0)
            chunks.Add(rest.ToString());
        return chunks;
    }

    /// <summary>
    /// Maps a failed Web API call to a send result (Slack docs "chat.postMessage: errors", "Rate limits"):
    /// 429/<c>ratelimited</c> → Retry after Retry-After; 5xx, network failures, <c>internal_error</c>, <c>fatal_error</c>,
    /// <c>service_unavailable</c>, <c>request_timeout</c> → Retry; <c>channel_not_found</c>, <c>not_in_channel</c>,
    /// <c>is_archived</c>, <c>invalid_auth</c>, <c>not_authed</c>, <c>token_revoked</c>, <c>account_inactive</c>,
    /// <c>missing_scope</c>, <c>msg_too_long</c>, <c>invalid_blocks</c> and every other error → Permanent, saying what to do.
    /// </summary>
    /// <param name="result">The failed call.</param>
    /// <returns>The send result.</returns>
    public static SendResult ToFailedSendResult(SlackApiResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var error = result.Error ?? "unknown error";
        if (result.HttpStatus == 429 || error == "ratelimited")
            return SendResult.Retry("Slack rate limit (ratelimited)", result.RetryAfter ?? TimeSpan.FromSeconds(1));
        if (result.IsTransportFailure)
        {
            return result.HttpStatus is 0 or 408 or >= 500
                ? SendResult.Retry($"Slack unreachable or failing: {error}")
                : SendResult.Permanent($"Slack answered {error}; check config.api_base_url");
        }

        return error switch
        {
            "channel_not_found" => SendResult.Permanent("channel_not_found: the conversation does not exist or the bot cannot see it; for a private channel, invite the app to it"),
            "not_in_channel" => SendResult.Permanent("not_in_channel: the bot is not a member of the channel; invite it with /invite @<app name>"),
            "is_archived" => SendResult.Permanent("is_archived: the channel is archived; unarchive it or reply elsewhere"),
            "invalid_auth" or "not_authed" or "token_revoked" or "token_expired" or "account_inactive" =>
                SendResult.Permanent($"{error}: Slack rejected the bot token; set credentials.bot_token to the app's current Bot User OAuth Token (xoxb-…) and reinstall the app if it was removed"),
            "missing_scope" => SendResult.Permanent("missing_scope: add the chat:write bot scope to the app and reinstall it"),
            "msg_too_long" or "no_text" or "invalid_blocks" or "invalid_arguments" => SendResult.Permanent($"{error}: Slack refused the message content"),
            "internal_error" or "fatal_error" or "service_unavailable" or "request_timeout" or "team_added_to_org" => SendResult.Retry($"Slack transient error: {error}", result.RetryAfter),
            _ => result.HttpStatus >= 500 ? SendResult.Retry($"Slack error {error} (HTTP {result.HttpStatus})", result.RetryAfter) : SendResult.Permanent($"Slack refused the message: {error}"),
        };
    }

    private static IReadOnlyList<MessageAttachment> MapFiles(IReadOnlyList<SlackFile>? files)
    {
        if (files is null || files.Count == 0)
            return [];
        return files.Where(f => !string.IsNullOrEmpty(f.Id)).Select(f => new MessageAttachment
        {
            Kind = f.Mimetype switch
            {
                { } m when m.StartsWith("image/", StringComparison.Ordinal) => AttachmentKind.Image,
                { } m when m.StartsWith("audio/", StringComparison.Ordinal) => AttachmentKind.Audio,
                { } m when m.StartsWith("video/", StringComparison.Ordinal) => AttachmentKind.Video,
                _ => AttachmentKind.Document,
            },
            ProviderFileId = f.Id,
            FileName = f.Name,
            MimeType = f.Mimetype,
            SizeBytes = f.Size,
        }).ToArray();
    }

    private static string EscapeLinkLabel(string label) =>
        label.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal).Replace("|", "¦", StringComparison.Ordinal);

    private static InboundMessage? Ignore(string reason, out string? ignoredReason)
    {
        ignoredReason = reason;
        return null;
    }
}
