using System.Text.Json;

namespace ClawScale.Plugins.WeCom.Tests.Fakes;

/// <summary>One call received by <see cref="FakeWxApi"/>.</summary>
public sealed record FakeWxCall
{
    public required string Api { get; init; }

    public required string Query { get; init; }

    public string? AccessToken { get; init; }

    public JsonElement? Json { get; init; }

    public string? Field(string name) =>
        Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    public string? Text => Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("text", out var text) ? text.GetProperty("content").GetString() : null;
}
