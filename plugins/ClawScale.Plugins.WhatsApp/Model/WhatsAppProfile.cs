namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary><c>contacts[].profile</c>.</summary>
public sealed record WhatsAppProfile
{
    /// <summary>The sender's profile name.</summary>
    public string? Name { get; init; }
}
