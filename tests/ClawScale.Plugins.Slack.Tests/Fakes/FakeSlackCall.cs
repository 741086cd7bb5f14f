using System.Text.Json;

namespace ClawScale.Plugins.Slack.Tests.Fakes;

/// <summary>One Web API call received by <see cref="FakeSlackApi"/>.</summary>
public sealed record FakeSlackCall
{
    public required string Method { get; init; }

    /// <summary>The Authorization header as sent.</summary>
    public string? Authorization { get; init; }

    /// <summary>The JSON body, when it was JSON.</summary>
    public JsonElement? Json { get; init; }

    public string? Field(string name) =>
        Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
