namespace ClawScale.Plugins.ChannelTemplate.Model;

/// <summary>
/// A webhook call's body as the platform documents it (PLACEHOLDER shape: replace with your platform's):
/// <c>{"event_id": "…", "type": "message" | "ping", "challenge": "…", "message": {…}}</c>.
/// </summary>
public sealed record ContosoEvent
{
    /// <summary>The platform's unique id of the event; stable across the platform's retries (the deduplication key).</summary>
    public string? EventId { get; init; }

    /// <summary><c>message</c> for a user's message, <c>ping</c> for the platform's URL verification; others are ignored.</summary>
    public string? Type { get; init; }

    /// <summary>For <c>ping</c>: the value to echo back.</summary>
    public string? Challenge { get; init; }

    /// <summary>For <c>message</c>: the message.</summary>
    public ContosoMessage? Message { get; init; }
}
