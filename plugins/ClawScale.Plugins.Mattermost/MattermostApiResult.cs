using System.Text.Json;

namespace ClawScale.Plugins.Mattermost;

/// <summary>
/// The outcome of one REST API v4 call: the HTTP status with the JSON answer, Mattermost's documented error fields
/// (<c>{"id","message","detailed_error","request_id","status_code"}</c>; <c>id</c> and <c>message</c> are kept), the wait
/// a 429 asked for, or a transport failure.
/// </summary>
public sealed record MattermostApiResult
{
    /// <summary>The HTTP status; 0 when no answer arrived.</summary>
    public int HttpStatus { get; init; }

    /// <summary>True for a 2xx answer.</summary>
    public bool Ok => HttpStatus is >= 200 and < 300;

    /// <summary>The parsed JSON answer (a clone), or null.</summary>
    public JsonElement? Body { get; init; }

    /// <summary>The error's <c>id</c> (for example <c>api.context.session_expired.app_error</c>), or null.</summary>
    public string? ErrorId { get; init; }

    /// <summary>The error's <c>message</c> (at most 300 characters), or null.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>
    /// The wait a rate-limited answer asked for: <c>Retry-After</c>, else <c>X-Ratelimit-Reset</c> (seconds until the
    /// window resets; a value that is a Unix time is converted), or null.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Why no answer arrived (never holds a token), or null.</summary>
    public string? TransportError { get; init; }

    /// <summary>A string property of the answer, or null.</summary>
    public string? String(string name) =>
        Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Describes the failure for admins.</summary>
    public string Describe() => TransportError
        ?? $"HTTP {HttpStatus}" + (ErrorId is null && ErrorMessage is null ? string.Empty : $" ({ErrorId}: {ErrorMessage})");
}
