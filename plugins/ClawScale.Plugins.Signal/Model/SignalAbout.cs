using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Signal.Model;

/// <summary>The answer of <c>GET /v1/about</c>: <c>versions</c>, <c>build</c>, <c>mode</c> (<c>normal</c>,
/// <c>native</c> or <c>json-rpc</c>: which receive endpoint the server offers), <c>version</c>.</summary>
public sealed record SignalAbout
{
    /// <summary>The supported API versions (<c>v1</c>, <c>v2</c>).</summary>
    [JsonPropertyName("versions")]
    public IReadOnlyList<string>? Versions { get; init; }

    /// <summary>The signal-cli execution mode.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; init; }

    /// <summary>The REST API's version.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }
}
