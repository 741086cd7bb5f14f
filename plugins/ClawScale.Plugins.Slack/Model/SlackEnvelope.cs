namespace ClawScale.Plugins.Slack.Model;

/// <summary>
/// The outer body of an Events API call (Slack docs "The Events API", "Callback field overview"): either
/// <c>url_verification</c> (with <see cref="Challenge"/>) or <c>event_callback</c> (with <see cref="Event"/> and
/// <see cref="EventId"/>). Also the <c>payload</c> of a Socket Mode <c>events_api</c> envelope.
/// </summary>
public sealed record SlackEnvelope
{
    /// <summary><c>url_verification</c>, <c>event_callback</c> or <c>app_rate_limited</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The url_verification challenge to echo back.</summary>
    public string? Challenge { get; init; }

    /// <summary>The workspace id, <c>T…</c>.</summary>
    public string? TeamId { get; init; }

    /// <summary>The app's id, <c>A…</c>.</summary>
    public string? ApiAppId { get; init; }

    /// <summary>The inner event.</summary>
    public SlackEvent? Event { get; init; }

    /// <summary>The event's unique id, <c>Ev…</c>, the same on every retry of this delivery.</summary>
    public string? EventId { get; init; }

    /// <summary>When the event was dispatched, in Unix seconds.</summary>
    public long? EventTime { get; init; }

    /// <summary>The installations the event is visible to; <c>user_id</c> of the first one is the bot's user.</summary>
    public IReadOnlyList<SlackAuthorization>? Authorizations { get; init; }
}
