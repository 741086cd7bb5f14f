namespace ClawScale.Plugins.Evolution.Model;

/// <summary><c>contextInfo</c>: mentioned JIDs and, for a reply, the quoted message's id and author.</summary>
public sealed record EvolutionContextInfo
{
    /// <summary>The JIDs mentioned with <c>@</c>.</summary>
    public IReadOnlyList<string>? MentionedJid { get; init; }

    /// <summary>The quoted message's author.</summary>
    public string? Participant { get; init; }

    /// <summary>The quoted message's id.</summary>
    public string? StanzaId { get; init; }
}
