namespace ClawScale.Plugins.Evolution.Model;

/// <summary><c>instance</c> of a connection state answer.</summary>
public sealed record EvolutionInstanceState
{
    /// <summary>The instance's name.</summary>
    public string? InstanceName { get; init; }

    /// <summary><c>open</c> when connected to WhatsApp; <c>connecting</c> or <c>close</c> otherwise.</summary>
    public string? State { get; init; }
}
