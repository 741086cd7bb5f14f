namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary>
/// The body of <c>POST /{version}/{phone-number-id}/messages</c> for a text message (WhatsApp Cloud API docs,
/// "Messages" → "Text messages"; "Contextual replies" for <c>context</c>).
/// </summary>
public sealed record SendMessageRequest
{
    /// <summary>Always <c>whatsapp</c>.</summary>
    public string MessagingProduct { get; init; } = "whatsapp";

    /// <summary>Always <c>individual</c>: the Cloud API sends to one user.</summary>
    public string RecipientType { get; init; } = "individual";

    /// <summary>The recipient's WhatsApp id or phone number.</summary>
    public required string To { get; init; }

    /// <summary>Always <c>text</c> here.</summary>
    public string Type { get; init; } = "text";

    /// <summary>The text (at most 4,096 characters).</summary>
    public required SendText Text { get; init; }

    /// <summary>The message this one replies to, or null.</summary>
    public SendContext? Context { get; init; }
}
