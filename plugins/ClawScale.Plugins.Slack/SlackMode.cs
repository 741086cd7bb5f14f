namespace ClawScale.Plugins.Slack;

/// <summary>How a Slack channel receives events (config <c>mode</c>).</summary>
public enum SlackMode
{
    /// <summary>
    /// Slack POSTs Events API calls to the kernel's webhook route (<c>{PublicBaseUrl}/webhooks/{channelId}</c>);
    /// needs <c>credentials.signing_secret</c>. Slack docs: "The Events API".
    /// </summary>
    Events = 1,

    /// <summary>
    /// The plugin opens a WebSocket to Slack (apps.connections.open with an app-level token) and receives the same
    /// events over it; no public URL needed. Slack docs: "Using Socket Mode".
    /// </summary>
    Socket = 2,
}
