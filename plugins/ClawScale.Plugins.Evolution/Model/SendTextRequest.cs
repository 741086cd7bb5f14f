namespace ClawScale.Plugins.Evolution.Model;

/// <summary>
/// The body of <c>POST /message/sendText/{instance}</c> (Evolution API v2 reference "Send Plain Text"): <c>number</c>,
/// <c>text</c>, and optionally <c>quoted</c> (the message replied to, by its key id).
/// </summary>
public sealed record SendTextRequest
{
    /// <summary>The recipient: a number with country code, or a JID (<c>…@g.us</c> for a group).</summary>
    public required string Number { get; init; }

    /// <summary>The text.</summary>
    public required string Text { get; init; }

    /// <summary>The message to quote, or null.</summary>
    public SendQuoted? Quoted { get; init; }
}
