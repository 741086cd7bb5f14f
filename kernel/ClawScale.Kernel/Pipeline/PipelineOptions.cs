namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// Pipeline settings, bound from <c>ClawScale:Pipeline</c>. Durations are TimeSpan strings (<c>00:00:30</c>).
/// </summary>
public sealed record PipelineOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "ClawScale:Pipeline";

    /// <summary>How long a claimed turn or delivery stays claimed before another worker may take it over. Default 2 minutes.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often workers look for work when no signal arrives. Default 1 second.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Send attempts before a delivery becomes a dead letter. Default 8.</summary>
    public int DeliveryMaxAttempts { get; init; } = 8;

    /// <summary>First retry delay; doubled each attempt with ±20% jitter. Default 1 second.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the retry delay (a platform's Retry-After may exceed it). Default 5 minutes.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Concurrent sends per channel. Default 8. Channel config <c>max_concurrent_sends</c> overrides.</summary>
    public int SendConcurrencyPerChannel { get; init; } = 8;

    /// <summary>Sends per second per channel. Default 30 (Telegram's bot limit). Channel config <c>rate_limit_per_second</c> overrides.</summary>
    public double SendRatePerChannel { get; init; } = 30;

    /// <summary>
    /// Turns one kernel instance runs at once (agent calls in flight). A slow agent holds one slot; the others keep
    /// being claimed as slots free up. Default 64.
    /// </summary>
    public int MaxConcurrentTurns { get; init; } = 64;

    /// <summary>Timeout of one agent turn (plugin backends). Default 2 minutes.</summary>
    public TimeSpan TurnTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Conversation messages given to agents as history. Default 20.</summary>
    public int HistoryWindow { get; init; } = 20;

    /// <summary>
    /// Most bytes of history (protobuf-encoded messages) in a turn sent to a runtime (<c>RuntimeTurn.history</c>,
    /// RuntimeService.Connect and dial-out AgentRuntime.HandleTurn): the newest messages of the
    /// <see cref="HistoryWindow"/> that fit are sent, the older ones left out; a single message larger than this is cut
    /// (its text then ends with the marker <c>[truncated by ClawScale]</c> on a line of its own); the turn says so (<c>history_truncated</c>,
    /// <c>history_omitted</c>). Default 1 MiB; between 1024 and half of <c>ClawScale:Grpc:MaxSendMessageSize</c>, which
    /// leaves the other half for the turn's own message.
    /// </summary>
    public int HistoryMaxBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Largest accepted webhook body, in bytes. A larger body is answered HTTP 413 (RFC 9110 §15.5.14) and nothing of
    /// it is stored: at once when Content-Length announces it, otherwise (chunked) as soon as reading passes the limit.
    /// Default 1 MiB.
    /// </summary>
    public int MaxWebhookBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Longest inbound message text accepted, in characters (UTF-16 code units, as .NET, JavaScript and Telegram count
    /// them). <c>RoutingService.RouteInbound</c> answers a longer text with INVALID_ARGUMENT naming this limit, and stores
    /// nothing. A longer text from a platform (webhook or listener) is still accepted and acknowledged, so the platform
    /// never retries it: the stored message, which agents and runtimes get, is its beginning followed by the line
    /// <c>[truncated by ClawScale]</c> (this many characters in all); the inbound event keeps the full text as received,
    /// and a warning is logged (event 2107). Default 32768 (32 Ki characters: more than Telegram's 4096, Discord's 4000
    /// and what Slack users can send); between 256 and 1048576.
    /// </summary>
    public int MaxInboundTextLength { get; init; } = 32 * 1024;

    /// <summary>
    /// Most ACCEPT calls (webhook requests, listener batches, RouteInbound calls) stored in one transaction. Default 128.
    /// </summary>
    public int AcceptBatchSize { get; init; } = 128;

    /// <summary>
    /// ACCEPT calls that may wait for the database; beyond it calls are refused at once with HTTP 503 and
    /// <c>Retry-After: 1</c> (gRPC UNAVAILABLE), so acknowledgement latency stays bounded under overload and platforms
    /// retry instead of timing out. Default 500.
    /// </summary>
    public int AcceptQueueLimit { get; init; } = 500;

    /// <summary>
    /// Inbound messages accepted per sender (per channel and platform user id) per minute, per kernel instance: a full
    /// bucket lets this many through at once, then one every <c>60 s / SenderMessagesPerMinute</c>. Messages over the
    /// limit are not stored and get no reply; the platform is answered as its adapter asks
    /// (<c>WebhookResult.RefuseWhenSenderLimited</c>): the generic webhook channel gets 429 with Retry-After, Telegram,
    /// Slack and Discord get their usual 2xx (a non-2xx would hold back the bot's other users); RoutingService.RouteInbound
    /// answers RESOURCE_EXHAUSTED and the web chat 202 with <c>"accepted": false</c>. Logged once per episode (events 2105
    /// and 2106). 0 switches the limit off. Default 60.
    /// </summary>
    public int SenderMessagesPerMinute { get; init; } = 60;

    /// <summary>
    /// Heartbeat interval of RuntimeService.Connect streams (sent in the welcome); a runtime silent for three intervals is
    /// disconnected and its unfinished turns are redelivered. Default 15 seconds.
    /// </summary>
    public TimeSpan RuntimeHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);
}
