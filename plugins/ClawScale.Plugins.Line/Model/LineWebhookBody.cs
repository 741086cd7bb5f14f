namespace ClawScale.Plugins.Line.Model;

/// <summary>
/// The body of a LINE webhook (Messaging API reference "Webhooks" → "Request body"): the bot's user id and the events.
/// LINE sends an empty <see cref="Events"/> array to check the URL ("Verify" in the LINE Developers Console).
/// </summary>
public sealed record LineWebhookBody
{
    /// <summary>The user id of the bot that should receive the events (<c>U</c> + 32 hex digits).</summary>
    public string? Destination { get; init; }

    /// <summary>The events; may be empty.</summary>
    public IReadOnlyList<LineEvent>? Events { get; init; }
}
