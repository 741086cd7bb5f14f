using System.Text.Json;

namespace ClawScale.Plugins.Slack.Model;

/// <summary>
/// One Socket Mode frame from Slack (Slack docs "Using Socket Mode"): <c>hello</c>, <c>disconnect</c> (with
/// <see cref="Reason"/>), or an envelope to acknowledge (<c>events_api</c>, <c>slash_commands</c>, <c>interactive</c>)
/// with <see cref="EnvelopeId"/> and <see cref="Payload"/>.
/// </summary>
public sealed record SocketModeEnvelope
{
    /// <summary>The frame type.</summary>
    public string? Type { get; init; }

    /// <summary>The id to send back as <c>{"envelope_id": "…"}</c> once the envelope is handled.</summary>
    public string? EnvelopeId { get; init; }

    /// <summary>For <c>events_api</c>: the event_callback body, as it would have been POSTed.</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>For <c>disconnect</c>: <c>warning</c>, <c>refresh_requested</c>, <c>link_disabled</c>, …</summary>
    public string? Reason { get; init; }

    /// <summary>How many times Slack has tried to deliver this envelope before (0 on the first try).</summary>
    public int? RetryAttempt { get; init; }

    /// <summary>Why it is retried (for example <c>timeout</c>).</summary>
    public string? RetryReason { get; init; }
}
