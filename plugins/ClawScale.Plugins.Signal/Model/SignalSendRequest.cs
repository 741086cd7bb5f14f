using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Signal.Model;

/// <summary>
/// The body of <c>POST /v2/send</c> (swagger <c>api.SendMessageV2</c>): <c>number</c> (the sending account),
/// <c>recipients</c> (numbers, uuids or <c>group.…</c> ids), <c>message</c>, optional <c>quote_timestamp</c> and
/// <c>quote_author</c> to quote the user's message.
/// </summary>
public sealed record SignalSendRequest
{
    /// <summary>The bot's registered number.</summary>
    [JsonPropertyName("number")]
    public required string Number { get; init; }

    /// <summary>One recipient: a number, an ACI uuid, or a <c>group.…</c> id.</summary>
    [JsonPropertyName("recipients")]
    public required IReadOnlyList<string> Recipients { get; init; }

    /// <summary>The text.</summary>
    [JsonPropertyName("message")]
    public required string Message { get; init; }

    /// <summary>The timestamp of the message to quote, or null.</summary>
    [JsonPropertyName("quote_timestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? QuoteTimestamp { get; init; }

    /// <summary>The author of the message to quote (number or uuid), or null.</summary>
    [JsonPropertyName("quote_author")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? QuoteAuthor { get; init; }
}
