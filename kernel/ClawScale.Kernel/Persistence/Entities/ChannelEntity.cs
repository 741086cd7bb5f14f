namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>Row of <c>channels</c>. Credentials and the webhook secret are encrypted (Data Protection).</summary>
internal sealed class ChannelEntity
{
    public required string Id { get; set; }
    public required string TenantId { get; set; }
    public required string Kind { get; set; }
    public required string DisplayName { get; set; }
    public ChannelOwnershipValue Ownership { get; set; }
    public string? CustomerId { get; set; }
    public ChannelStatusValue Status { get; set; }
    /// <summary>JSON object of string values.</summary>
    public string ConfigJson { get; set; } = "{}";
    /// <summary>Protected JSON object of the credentials.</summary>
    public string CredentialsCiphertext { get; set; } = string.Empty;
    /// <summary>Names of the credentials that are set, comma-separated, sorted.</summary>
    public string CredentialKeys { get; set; } = string.Empty;
    public required string WebhookSecretCiphertext { get; set; }
    public string LastError { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
