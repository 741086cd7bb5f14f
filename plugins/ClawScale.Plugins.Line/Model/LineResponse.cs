namespace ClawScale.Plugins.Line.Model;

/// <summary>
/// A Messaging API answer: on success of a send <c>{"sentMessages":[{"id","quoteToken"}]}</c>, of bot info
/// <c>{"userId","basicId","displayName",…}</c>; on failure the documented error body <c>{"message","details":[{"message","property"}]}</c>.
/// </summary>
public sealed record LineResponse
{
    /// <summary>The sent messages.</summary>
    public IReadOnlyList<LineSentMessage>? SentMessages { get; init; }

    /// <summary>The bot's user id (bot info).</summary>
    public string? UserId { get; init; }

    /// <summary>The bot's display name (bot info).</summary>
    public string? DisplayName { get; init; }

    /// <summary>The error summary.</summary>
    public string? Message { get; init; }

    /// <summary>The error details.</summary>
    public IReadOnlyList<LineErrorDetail>? Details { get; init; }
}
