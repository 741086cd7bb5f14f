namespace ClawScale.Plugins.Teams;

/// <summary>The outcome of <see cref="BotFrameworkAuthenticator.ValidateAsync"/>.</summary>
public sealed record BotFrameworkTokenCheck
{
    /// <summary>Whether the token is authentic, for this bot, and current.</summary>
    public bool IsValid { get; init; }

    /// <summary>For a refused token: the HTTP status to answer (401, or 503 when the keys cannot be fetched).</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>For a refused token: why, naming the claim or setting at fault; never contains the token.</summary>
    public string? Failure { get; init; }

    /// <summary>The token's <c>serviceurl</c> claim, which must equal the activity's <c>serviceUrl</c>.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>The signing key's <c>endorsements</c> (channel ids it may sign for), or null when the key lists none.</summary>
    public IReadOnlyList<string>? Endorsements { get; init; }

    /// <summary>A refused token.</summary>
    /// <param name="statusCode">401 or 503.</param>
    /// <param name="failure">Why.</param>
    /// <returns>The check.</returns>
    public static BotFrameworkTokenCheck Fail(int statusCode, string failure) => new() { StatusCode = statusCode, Failure = failure };
}
