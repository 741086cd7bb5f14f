namespace ClawScale.Kernel.Tests.Faults;

/// <summary>
/// One POST of an update to a kernel webhook, as the platform saw it: when it was sent and when its answer (or failure)
/// came, the HTTP status (null when the connection failed: refused, reset or timed out), the Retry-After header (raw),
/// and the transport error.
/// </summary>
internal sealed record WebhookAttempt(PlannedUpdate Update, Uri Target, DateTimeOffset At, DateTimeOffset AnsweredAt, int? Status, string? RetryAfter, string? Error)
{
    public bool Acknowledged => Status is >= 200 and < 300;
}
