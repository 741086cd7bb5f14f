using System.Text.Json;

namespace ClawScale.Plugins.Evolution.Model;

/// <summary><c>response</c> of an error.</summary>
public sealed record EvolutionErrorResponse
{
    /// <summary>A string, or an array of strings or objects (for example <c>{"exists":false,"jid","number"}</c>).</summary>
    public JsonElement Message { get; init; }
}
