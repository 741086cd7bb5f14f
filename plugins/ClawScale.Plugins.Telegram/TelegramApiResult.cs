namespace ClawScale.Plugins.Telegram;

/// <summary>
/// The outcome of one Bot API call: the parsed <c>{ok, result, error_code, description, parameters}</c> envelope,
/// or a transport failure (network error, timeout, an answer that is not a Bot API envelope).
/// </summary>
/// <typeparam name="T">The method's result type.</typeparam>
public sealed record TelegramApiResult<T>
{
    /// <summary>Whether Telegram answered <c>"ok": true</c>.</summary>
    public bool Ok { get; init; }

    /// <summary>The method's result when <see cref="Ok"/>.</summary>
    public T? Value { get; init; }

    /// <summary>
    /// Telegram's <c>error_code</c> (HTTP-like: 400, 401, 403, 404, 409, 429, 5xx); the HTTP status when the body was
    /// not an envelope; 0 for a network failure or timeout.
    /// </summary>
    public int ErrorCode { get; init; }

    /// <summary>Telegram's <c>description</c> or what went wrong in transport; never contains the bot token.</summary>
    public string? Description { get; init; }

    /// <summary>Flood control: <c>parameters.retry_after</c> (seconds in the API) as a delay.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The group's new supergroup id (<c>parameters.migrate_to_chat_id</c>).</summary>
    public long? MigrateToChatId { get; init; }

    /// <summary>True when no Bot API answer was received (network error, timeout, non-envelope body).</summary>
    public bool IsTransportFailure { get; init; }

    /// <summary>A successful result.</summary>
    /// <param name="value">The method's result.</param>
    /// <returns>The result.</returns>
    public static TelegramApiResult<T> Success(T value) => new() { Ok = true, Value = value };

    /// <summary>A transport failure.</summary>
    /// <param name="errorCode">0, or the HTTP status of a non-envelope answer.</param>
    /// <param name="description">What went wrong (no secrets).</param>
    /// <returns>The result.</returns>
    public static TelegramApiResult<T> Transport(int errorCode, string description) =>
        new() { ErrorCode = errorCode, Description = description, IsTransportFailure = true };
}
