namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary><c>metadata</c>: which business number a change is for.</summary>
public sealed record WhatsAppMetadata
{
    /// <summary>The business number as displayed, for example <c>16505551111</c>.</summary>
    public string? DisplayPhoneNumber { get; init; }

    /// <summary>The Graph API id of the business number; must match the channel's <c>phone_number_id</c>.</summary>
    public string? PhoneNumberId { get; init; }
}
