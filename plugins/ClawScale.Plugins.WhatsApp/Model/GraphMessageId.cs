namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary><c>messages[]</c> of a send answer.</summary>
public sealed record GraphMessageId
{
    /// <summary>The sent message's id.</summary>
    public string? Id { get; init; }
}
