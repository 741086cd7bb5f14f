namespace ClawScale.Plugins.Discord.Model;

/// <summary>
/// A REST error body ("Error Messages": <c>{code, message}</c>) merged with the 429 body ("Rate Limits":
/// <c>{message, retry_after, global, code?}</c>).
/// </summary>
public sealed record DiscordError
{
    /// <summary>Discord's JSON error code (for example 10003 Unknown Channel, 50001 Missing Access, 50013 Missing Permissions).</summary>
    public int? Code { get; init; }

    /// <summary>A human-readable description.</summary>
    public string? Message { get; init; }

    /// <summary>For 429: seconds to wait (a float).</summary>
    public double? RetryAfter { get; init; }

    /// <summary>For 429: whether the global rate limit was hit.</summary>
    public bool? Global { get; init; }
}
