namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary>
/// One incoming message (<c>messages[]</c>): <c>from</c>, <c>id</c> (<c>wamid.…</c>, the deduplication key),
/// <c>timestamp</c> (Unix seconds as a string), <c>type</c> and the object named by the type; <c>context</c> when it
/// replies to an earlier message.
/// </summary>
public sealed record WhatsAppMessage
{
    /// <summary>The sender's WhatsApp id.</summary>
    public string? From { get; init; }

    /// <summary>The message id, <c>wamid.…</c>.</summary>
    public string? Id { get; init; }

    /// <summary>Unix seconds, as a string.</summary>
    public string? Timestamp { get; init; }

    /// <summary><c>text</c>, <c>image</c>, <c>audio</c>, <c>video</c>, <c>document</c>, <c>sticker</c>, <c>reaction</c>, …</summary>
    public string? Type { get; init; }

    /// <summary>For <c>type: text</c>: the body.</summary>
    public WhatsAppText? Text { get; init; }

    /// <summary>For <c>type: image</c>.</summary>
    public WhatsAppMedia? Image { get; init; }

    /// <summary>For <c>type: audio</c>.</summary>
    public WhatsAppMedia? Audio { get; init; }

    /// <summary>For <c>type: video</c>.</summary>
    public WhatsAppMedia? Video { get; init; }

    /// <summary>For <c>type: document</c>.</summary>
    public WhatsAppMedia? Document { get; init; }

    /// <summary>For <c>type: sticker</c>.</summary>
    public WhatsAppMedia? Sticker { get; init; }

    /// <summary>Set when the message replies to (quotes) an earlier message.</summary>
    public WhatsAppContext? Context { get; init; }
}
