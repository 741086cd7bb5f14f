using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Web;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Mattermost.Model;

namespace ClawScale.Plugins.Mattermost;

/// <summary>Pure mapping functions between Mattermost's payloads and the kernel's messages.</summary>
public static class MattermostMapper
{
    /// <summary>The identity provider of Mattermost users (<c>mattermost</c>; identity type <c>user_id</c>).</summary>
    public const string Provider = "mattermost";

    /// <summary>
    /// Reads an outgoing webhook body: <c>application/json</c> (an object of strings) or, otherwise,
    /// <c>application/x-www-form-urlencoded</c>. Returns null when the body is neither.
    /// </summary>
    internal static OutgoingWebhookPayload? ParsePayload(ReadOnlySpan<byte> body, string? contentType)
    {
        IReadOnlyDictionary<string, string> fields;
        if (contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true || (body.Length > 0 && body[0] == (byte)'{'))
        {
            try
            {
                using var document = JsonDocument.Parse(body.ToArray());
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    return null;
                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    var value = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Number => property.Value.GetRawText(),
                        JsonValueKind.Array => string.Join(",", property.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString())),
                        _ => null,
                    };
                    if (value is not null)
                        map.TryAdd(property.Name, value);
                }

                fields = map;
            }
            catch (JsonException)
            {
                return null;
            }
        }
        else
        {
            var parsed = HttpUtility.ParseQueryString(Encoding.UTF8.GetString(body));
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in parsed.AllKeys)
            {
                if (key is not null && parsed[key] is { } value)
                    map.TryAdd(key, value);
            }

            fields = map;
        }

        string? F(string name) => fields.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
        return new OutgoingWebhookPayload
        {
            Token = F("token"),
            ChannelId = F("channel_id"),
            ChannelName = F("channel_name"),
            TeamId = F("team_id"),
            TeamDomain = F("team_domain"),
            PostId = F("post_id"),
            Text = fields.TryGetValue("text", out var text) ? text : null,
            Timestamp = F("timestamp"),
            TriggerWord = F("trigger_word"),
            UserId = F("user_id"),
            UserName = F("user_name"),
            FileIds = F("file_ids"),
        };
    }

    /// <summary>
    /// Maps one outgoing webhook post. Outgoing webhooks fire in public channels only, so every message is a group message;
    /// it is addressed to the bot when it matched a trigger word (<c>trigger_word</c> set; the word is removed from the
    /// text's first word), mentions <c>@bot_username</c>, or <see cref="MattermostOptions.AnswerAllMessages"/> is on. Posts by the bot
    /// itself are ignored. The deduplication key is <c>post_id</c>; with <see cref="MattermostOptions.ReplyInThread"/> the
    /// reply goes into the thread under the post (root_id = post_id).
    /// </summary>
    internal static InboundMessage? TryMap(OutgoingWebhookPayload payload, MattermostOptions options, string? botUserId, string? botUsername, out string? reason)
    {
        if (payload.PostId is null || payload.ChannelId is null || payload.UserId is null)
        {
            reason = "a payload without post_id, channel_id or user_id";
            return null;
        }

        if (botUserId is not null && payload.UserId == botUserId)
        {
            reason = "the bot's own post";
            return null;
        }

        var text = payload.Text ?? string.Empty;
        if (payload.TriggerWord is { } word && text.StartsWith(word, StringComparison.Ordinal))
        {
            // The first word matched (or started with) the trigger word: it is the command, not the message.
            var end = text.IndexOfAny([' ', '\n', '\t']);
            text = end < 0 ? string.Empty : text[end..].TrimStart();
        }

        var mentioned = botUsername is not null && MentionsBot(text, botUsername);
        reason = null;
        return new InboundMessage
        {
            ProviderMessageId = payload.PostId,
            ExternalChatId = payload.ChannelId,
            ExternalThreadId = options.ReplyInThread ? payload.PostId : null,
            Sender = new ExternalUser { Provider = Provider, Value = payload.UserId, Username = payload.UserName, DisplayName = payload.UserName },
            ChatKind = ChatKind.Group,
            AddressedToBot = payload.TriggerWord is not null || mentioned || options.AnswerAllMessages,
            Text = text,
            PlatformMessageId = payload.PostId,
            SentAt = Timestamp(payload.Timestamp),
        };
    }

    /// <summary>Splits a reply into posts of at most <see cref="MattermostOptions.MaxPostLength"/> characters (at a line break or space when one is near).</summary>
    public static IReadOnlyList<string> Split(string? text)
    {
        var parts = new List<string>();
        var rest = text?.Trim() ?? string.Empty;
        while (rest.Length > MattermostOptions.MaxPostLength)
        {
            var limit = MattermostOptions.MaxPostLength;
            if (char.IsHighSurrogate(rest[limit - 1]))
                limit--;
            var cut = rest.LastIndexOf('\n', limit - 1, limit);
            if (cut < limit / 2)
                cut = rest.LastIndexOf(' ', limit - 1, limit);
            if (cut < limit / 2)
                cut = limit;
            parts.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0)
            parts.Add(rest);
        return parts;
    }

    /// <summary>
    /// The outcome of a failed <c>POST /posts</c>: no answer, 408, 429 (with <c>Retry-After</c> / <c>X-Ratelimit-Reset</c>)
    /// and 5xx → retry; 401 (token invalid or expired) and 403 (the bot may not post in the channel: add it to the team and
    /// channel) → dead letter; other 4xx (400 invalid channel or root, 404) → dead letter quoting Mattermost's id and message.
    /// </summary>
    public static SendResult ToFailure(MattermostApiResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var what = result.Describe();
        return result.HttpStatus switch
        {
            0 or 408 or >= 500 => SendResult.Retry(what, result.RetryAfter),
            429 => SendResult.Retry($"Mattermost rate limit: {what}", result.RetryAfter),
            401 => SendResult.Permanent($"Mattermost refused credentials.bot_token: {what}; create a new token for the bot account and update the channel"),
            403 => SendResult.Permanent($"Mattermost refused the post: {what}; add the bot account to the team and channel (or give it post:all)"),
            _ => SendResult.Permanent($"Mattermost refused the post: {what}"),
        };
    }

    private static bool MentionsBot(string text, string username)
    {
        var mention = "@" + username;
        for (var at = text.IndexOf(mention, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(mention, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + mention.Length;
            if (end == text.Length || !(char.IsLetterOrDigit(text[end]) || text[end] is '.' or '_' or '-'))
                return true;
        }

        return false;
    }

    private static DateTimeOffset Timestamp(string? text)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return default;
        // The documented example is Unix seconds; accept milliseconds too.
        return value > 100_000_000_000
            ? DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(value, 253402300799999))
            : DateTimeOffset.FromUnixTimeSeconds(Math.Min(value, 253402300799));
    }
}
