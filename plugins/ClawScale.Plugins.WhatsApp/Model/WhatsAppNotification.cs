namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary>
/// The body of a webhook POST from Meta for the <c>whatsapp_business_account</c> object (WhatsApp Cloud API docs,
/// "Webhooks" → "Payload examples"): <c>{"object", "entry": [{"id", "changes": [{"value", "field"}]}]}</c>.
/// </summary>
public sealed record WhatsAppNotification
{
    /// <summary>Always <c>whatsapp_business_account</c> for WhatsApp.</summary>
    public string? Object { get; init; }

    /// <summary>One entry per WhatsApp Business Account.</summary>
    public IReadOnlyList<WhatsAppEntry>? Entry { get; init; }
}
