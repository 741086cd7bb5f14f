using System.Text.Json;

namespace ClawScale.Plugins.Evolution.Model;

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
