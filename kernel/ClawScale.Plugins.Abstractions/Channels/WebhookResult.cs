using ClawScale.Plugins.Messages;

namespace ClawScale.Plugins.Channels;

/// <summary>
/// What an adapter made of a webhook call: the messages to accept and the HTTP answer the platform expects.
/// The kernel accepts <see cref="Messages"/> durably first and only then writes the answer, so a platform that
/// gets a 2xx never loses a message. A rejected call (<see cref="IsRejected"/>) stores nothing.
/// </summary>
public sealed record WebhookResult
{
    /// <summary>The HTTP status code to answer with. Default 200.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>The content type of <see cref="ResponseBody"/>, or <see langword="null"/>.</summary>
    public string? ContentType { get; init; }

    /// <summary>The answer body the platform expects (for example Slack's url_verification challenge), or empty.</summary>
    public ReadOnlyMemory<byte> ResponseBody { get; init; }

    /// <summary>Messages to accept; empty for pings, verifications and ignored events.</summary>
    public IReadOnlyList<InboundMessage> Messages { get; init; } = [];

    /// <summary>True when the call was refused (bad signature, malformed body); nothing is stored.</summary>
    public bool IsRejected { get; init; }

    /// <summary>Why the call was refused or ignored, for the kernel's log. Never a secret.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// What the platform is answered when the kernel refuses messages of this call because their sender is over the
    /// per-sender inbound limit (<c>ClawScale:Pipeline:SenderMessagesPerMinute</c>); nothing of a refused message is
    /// stored either way.
    /// <list type="bullet">
    /// <item><description><see langword="false"/> (the default): the platform gets <see cref="StatusCode"/> as usual and
    /// the refused messages are dropped (the kernel logs it). Right for platforms that hold back or disable a bot's
    /// whole webhook after non-2xx answers: Telegram delivers no later update of the bot while one call is failing, so
    /// refusing one flooding user would stall every other user of the bot.</description></item>
    /// <item><description><see langword="true"/>: the kernel answers <c>429 Too Many Requests</c> with a
    /// <c>Retry-After</c> header in seconds (RFC 6585 §4, RFC 9110 §10.2.3), so the caller can send the call again
    /// later (messages of it that were accepted are deduplicated then). For protocols whose callers retry each call on
    /// its own, such as the generic webhook channel.</description></item>
    /// </list>
    /// </summary>
    public bool RefuseWhenSenderLimited { get; init; }

    /// <summary>A 200 answer with no body that accepts <paramref name="messages"/>.</summary>
    /// <param name="messages">The messages to accept (may be empty).</param>
    /// <returns>The result.</returns>
    public static WebhookResult Accept(params IReadOnlyList<InboundMessage> messages) => new() { Messages = messages };

    /// <summary>A 200 answer with no body and nothing to accept (an event the adapter ignores).</summary>
    /// <param name="reason">Why it is ignored, for the log.</param>
    /// <returns>The result.</returns>
    public static WebhookResult Ignore(string reason) => new() { Reason = reason };

    /// <summary>Refuses the call with <paramref name="statusCode"/> (401 bad signature, 400 malformed body, …).</summary>
    /// <param name="statusCode">The HTTP status code, 4xx.</param>
    /// <param name="reason">What was wrong, for the log and the response body.</param>
    /// <returns>The result.</returns>
    public static WebhookResult Reject(int statusCode, string reason) => new()
    {
        StatusCode = statusCode,
        IsRejected = true,
        Reason = reason,
        ContentType = "text/plain; charset=utf-8",
        ResponseBody = System.Text.Encoding.UTF8.GetBytes(reason),
    };
}
