namespace ClawScale.Plugins.Slack.Model;

/// <summary>The acknowledgement of a Socket Mode envelope: <c>{"envelope_id": "…"}</c>.</summary>
public sealed record SocketModeAck
{
    /// <summary>The envelope acknowledged.</summary>
    public required string EnvelopeId { get; init; }
}
