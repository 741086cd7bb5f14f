namespace ClawScale.Plugins.Teams.Model;

/// <summary>The Connector's answer to a sent activity (REST API reference "ResourceResponse object"): the new activity's id.</summary>
public sealed record ResourceResponse
{
    /// <summary>The id of the created activity.</summary>
    public string? Id { get; init; }
}
