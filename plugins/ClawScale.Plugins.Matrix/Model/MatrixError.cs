using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Matrix.Model;

/// <summary>The standard error body ("Standard error response"): <c>errcode</c> (<c>M_FORBIDDEN</c>,
/// <c>M_UNKNOWN_TOKEN</c>, <c>M_LIMIT_EXCEEDED</c>, …), <c>error</c>, and for rate limits <c>retry_after_ms</c>.</summary>
public sealed record MatrixError
{
    /// <summary>The error code.</summary>
    [JsonPropertyName("errcode")]
    public string? ErrCode { get; init; }

    /// <summary>A human-readable message.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    /// <summary>For <c>M_LIMIT_EXCEEDED</c>: how long to wait, in ms.</summary>
    [JsonPropertyName("retry_after_ms")]
    public long? RetryAfterMs { get; init; }
}
