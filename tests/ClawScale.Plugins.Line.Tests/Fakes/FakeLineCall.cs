using System.Text.Json;

namespace ClawScale.Plugins.Line.Tests.Fakes;

/// <summary>One call received by <see cref="FakeLineApi"/>.</summary>
public sealed record FakeLineCall(string Api, string Authorization, string? RetryKey, JsonElement? Json)
{
    public string? Field(string name) =>
        Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public IReadOnlyList<string> Texts =>
        Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("messages", out var messages)
            ? messages.EnumerateArray().Select(m => m.GetProperty("text").GetString()!).ToArray()
            : [];
}
