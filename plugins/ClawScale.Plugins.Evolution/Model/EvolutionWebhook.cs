using System.Text.Json;

namespace ClawScale.Plugins.Evolution.Model;

/// <summary>
/// The body Evolution API POSTs to an instance's webhook (Evolution API docs "Webhooks"; the envelope built in
/// <c>src/api/integrations/event/webhook/webhook.controller.ts</c>): <c>{"event","instance","data","destination",
/// "date_time","sender","server_url","apikey"}</c>. For <c>messages.upsert</c>, <see cref="Data"/> is the message.
/// </summary>
public sealed record EvolutionWebhook
{
    /// <summary>The event, for example <c>messages.upsert</c>.</summary>
    public string? Event { get; init; }

    /// <summary>The instance's name.</summary>
    public string? Instance { get; init; }

    /// <summary>The event's data (a message for <c>messages.upsert</c>).</summary>
    public JsonElement Data { get; init; }

    /// <summary>The instance's own WhatsApp JID (its <c>wuid</c>), for example <c>5511999999999@s.whatsapp.net</c>.</summary>
    public string? Sender { get; init; }

    /// <summary>The server's URL (<c>server_url</c>).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("server_url")]
    public string? ServerUrl { get; init; }

    /// <summary>
    /// The instance's token, sent only when the server sets <c>AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES=true</c>
    /// (otherwise null).
    /// </summary>
    public string? Apikey { get; init; }
}

/// <summary>
/// <c>data</c> of <c>messages.upsert</c>: the message key (<c>remoteJid</c>, <c>fromMe</c>, <c>id</c>, <c>participant</c>
/// in groups), <c>pushName</c>, <c>message</c> (Baileys' message content), <c>messageType</c>, <c>messageTimestamp</c>.
/// </summary>
public sealed record EvolutionMessageData
{
    /// <summary>The message key.</summary>
    public EvolutionKey? Key { get; init; }

    /// <summary>The sender's WhatsApp profile name.</summary>
    public string? PushName { get; init; }

    /// <summary>The content.</summary>
    public EvolutionMessageContent? Message { get; init; }

    /// <summary>The content's type, for example <c>conversation</c> or <c>extendedTextMessage</c>.</summary>
    public string? MessageType { get; init; }

    /// <summary>Unix seconds: a number, a numeric string, or (some Baileys versions) a <c>{"low","high"}</c> object.</summary>
    public JsonElement MessageTimestamp { get; init; }

    /// <summary>The context of the message (mentions, quoted message), as Evolution copies it next to <see cref="Message"/>.</summary>
    public EvolutionContextInfo? ContextInfo { get; init; }
}

/// <summary>The message key.</summary>
public sealed record EvolutionKey
{
    /// <summary>The chat: <c>…@s.whatsapp.net</c> (direct) or <c>…@g.us</c> (group); <c>…@lid</c> for hidden numbers.</summary>
    public string? RemoteJid { get; init; }

    /// <summary>True for messages the instance's own number sent (including the bot's replies).</summary>
    public bool FromMe { get; init; }

    /// <summary>The message id, the deduplication key.</summary>
    public string? Id { get; init; }

    /// <summary>In a group: the author's JID.</summary>
    public string? Participant { get; init; }
}

/// <summary>The parts of Baileys' message content the plugin reads.</summary>
public sealed record EvolutionMessageContent
{
    /// <summary>A plain text message.</summary>
    public string? Conversation { get; init; }

    /// <summary>A text with context (a reply, mentions, a link preview).</summary>
    public EvolutionExtendedText? ExtendedTextMessage { get; init; }
}

/// <summary><c>extendedTextMessage</c>.</summary>
public sealed record EvolutionExtendedText
{
    /// <summary>The text.</summary>
    public string? Text { get; init; }

    /// <summary>Mentions and the quoted message.</summary>
    public EvolutionContextInfo? ContextInfo { get; init; }
}

/// <summary><c>contextInfo</c>: mentioned JIDs and, for a reply, the quoted message's id and author.</summary>
public sealed record EvolutionContextInfo
{
    /// <summary>The JIDs mentioned with <c>@</c>.</summary>
    public IReadOnlyList<string>? MentionedJid { get; init; }

    /// <summary>The quoted message's author.</summary>
    public string? Participant { get; init; }

    /// <summary>The quoted message's id.</summary>
    public string? StanzaId { get; init; }
}
