namespace ClawScale.Plugins.Evolution.Model;

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
