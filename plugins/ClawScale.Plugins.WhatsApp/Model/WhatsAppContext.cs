namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary><c>context</c> of a reply: who wrote the quoted message and its id.</summary>
public sealed record WhatsAppContext
{
    /// <summary>The WhatsApp id of the quoted message's author.</summary>
    public string? From { get; init; }

    /// <summary>The quoted message's id.</summary>
    public string? Id { get; init; }
}
