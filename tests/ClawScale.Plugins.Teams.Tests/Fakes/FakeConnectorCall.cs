using System.Text.Json;

namespace ClawScale.Plugins.Teams.Tests.Fakes;

/// <summary>One Bot Connector call received by <see cref="FakeBotFramework"/>.</summary>
public sealed record FakeConnectorCall
{
    /// <summary>The conversation id from the path, unescaped.</summary>
    public required string ConversationId { get; init; }

    /// <summary>The activity replied to (last path segment), or null for a new message.</summary>
    public string? ReplyToId { get; init; }

    /// <summary>The Authorization header as sent.</summary>
    public string? Authorization { get; init; }

    /// <summary>The activity JSON.</summary>
    public JsonElement? Json { get; init; }

    /// <summary>The status the fake answered with.</summary>
    public int Status { get; init; }

    public string? Field(string name) =>
        Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
