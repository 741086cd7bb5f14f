using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Teams;

/// <summary>The outcome of <see cref="BotFrameworkTokenProvider.GetTokenAsync"/>: a token, or the send result to report.</summary>
public sealed record TokenResult
{
    /// <summary>The access token; never logged.</summary>
    public string? Token { get; init; }

    /// <summary>When no token: the delivery outcome (retry or dead letter) with an admin-facing error.</summary>
    public SendResult? Failure { get; init; }

    /// <summary>A token.</summary>
    /// <param name="token">The token.</param>
    /// <returns>The result.</returns>
    public static TokenResult Success(string token) => new() { Token = token };

    /// <summary>A transient failure.</summary>
    /// <param name="error">What went wrong.</param>
    /// <param name="retryAfter">The endpoint's Retry-After, or null.</param>
    /// <returns>The result.</returns>
    public static TokenResult Retry(string error, TimeSpan? retryAfter) => new() { Failure = SendResult.Retry(error, retryAfter) };

    /// <summary>A failure only an admin can fix.</summary>
    /// <param name="error">What went wrong and what to do.</param>
    /// <returns>The result.</returns>
    public static TokenResult Permanent(string error) => new() { Failure = SendResult.Permanent(error) };
}
