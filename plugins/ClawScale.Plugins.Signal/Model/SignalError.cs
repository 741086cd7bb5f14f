using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Signal.Model;

/// <summary>An error answer of the REST API (swagger <c>api.Error</c>, <c>api.SendMessageError</c>): <c>error</c>, and
/// for 429 the <c>challenge_tokens</c> to lift the rate limit with <c>POST /v1/accounts/{number}/rate-limit-challenge</c>.</summary>
public sealed record SignalError
{
    /// <summary>What went wrong.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    /// <summary>For 429: the rate-limit challenge tokens.</summary>
    [JsonPropertyName("challenge_tokens")]
    public IReadOnlyList<string>? ChallengeTokens { get; init; }
}
