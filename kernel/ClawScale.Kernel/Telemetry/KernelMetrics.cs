using System.Diagnostics;
using System.Diagnostics.Metrics;
using ClawScale.Kernel.Hosting;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Telemetry;

/// <summary>
/// The kernel's own instruments on the meter <see cref="MeterName"/> (created through <see cref="IMeterFactory"/>, so
/// each host has its own meter), named and labelled after the OpenTelemetry semantic conventions: a <c>clawscale.</c>
/// prefix, dot-separated lower-case names, UCUM units (<c>s</c>, or a <c>{thing}</c> annotation for counts),
/// low-cardinality labels (channel kind, agent kind, outcome, reason). The tenant id is a label only when
/// <see cref="TelemetryOptions.TenantIdLabel"/> is on (see there for the cardinality cost). README.md ("Observability")
/// lists every instrument; Prometheus names follow from them (<c>clawscale.inbound.accepted</c> becomes
/// <c>clawscale_inbound_accepted_total</c>, <c>clawscale.turn.duration</c> becomes
/// <c>clawscale_turn_duration_seconds</c>).
/// </summary>
internal sealed class KernelMetrics
{
    /// <summary>The name of the kernel's meter.</summary>
    public const string MeterName = "ClawScale.Kernel";

    /// <summary>Label: the channel's kind (<c>telegram</c>, <c>webhook</c>, <c>webchat</c>, …).</summary>
    public const string ChannelKindTag = "clawscale.channel.kind";

    /// <summary>Label: the agent's kind (<c>echo</c>, <c>openai</c>, <c>external</c>, …), <c>kernel</c> for kernel commands, <c>none</c> without a binding.</summary>
    public const string AgentKindTag = "clawscale.agent.kind";

    /// <summary>Label: how a turn or send attempt ended (<see cref="Completed"/>, <see cref="Failed"/>, <see cref="Delivered"/>, <see cref="Retry"/>, <see cref="DeadLetter"/>).</summary>
    public const string OutcomeTag = "clawscale.outcome";

    /// <summary>Label: why an inbound message or an API call was refused.</summary>
    public const string ReasonTag = "clawscale.reason";

    /// <summary>Label (opt-in, <see cref="TelemetryOptions.TenantIdLabel"/>): the tenant id.</summary>
    public const string TenantTag = "clawscale.tenant.id";

    /// <summary>Outcome of a turn that stored its replies.</summary>
    public const string Completed = "completed";

    /// <summary>Outcome of a turn that failed (the user got an apology; admins see the error).</summary>
    public const string Failed = "failed";

    /// <summary>Outcome of a send attempt the platform confirmed.</summary>
    public const string Delivered = "delivered";

    /// <summary>Outcome of a send attempt that failed and will be retried.</summary>
    public const string Retry = "retry";

    /// <summary>Outcome of a send attempt after which the delivery is a dead letter.</summary>
    public const string DeadLetter = "dead_letter";

    /// <summary>Agent kind label of a turn answered by a kernel command (<c>/help</c>, <c>/link</c>, …).</summary>
    public const string KernelAgentKind = "kernel";

    /// <summary>Agent kind label of a turn with no agent bound.</summary>
    public const string NoAgentKind = "none";

    /// <summary>Refusal reason: the message was accepted before (same channel and provider message id).</summary>
    public const string RefusedDuplicate = "duplicate";

    /// <summary>Refusal reason: a bot's message, or a group message not addressed to the bot.</summary>
    public const string RefusedIgnored = "ignored";

    /// <summary>Refusal reason: the sender is over <c>ClawScale:Pipeline:SenderMessagesPerMinute</c>.</summary>
    public const string RefusedSenderLimited = "sender_limited";

    /// <summary>Refusal reason: the accept queue was full (answered 503 / UNAVAILABLE, the platform retries).</summary>
    public const string RefusedOverloaded = "overloaded";

    /// <summary>Refusal reason: storing failed (database unavailable; answered 503 / an error, the platform retries).</summary>
    public const string RefusedUnavailable = "unavailable";

    /// <summary>Refusal reason (per webhook request): no active channel has the id in the URL.</summary>
    public const string RefusedUnknownChannel = "unknown_channel";

    /// <summary>Refusal reason (per webhook request): the body is over <c>ClawScale:Pipeline:MaxWebhookBodyBytes</c>.</summary>
    public const string RefusedTooLarge = "too_large";

    /// <summary>Refusal reason (per webhook request): the adapter refused it (bad signature, malformed body).</summary>
    public const string RefusedRejected = "rejected";

    /// <summary>Refusal reason (per webhook request): the adapter threw.</summary>
    public const string RefusedAdapterError = "adapter_error";

    /// <summary>Channel kind label when the channel is not known (a webhook for an unknown channel id).</summary>
    public const string UnknownKind = "unknown";

    /// <summary>Buckets (seconds) for calls to platforms and short waits, as the semantic conventions give for HTTP durations.</summary>
    private static readonly double[] ShortBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>Buckets (seconds) for agent turns and end-to-end latency, which LLM calls stretch to minutes.</summary>
    private static readonly double[] LongBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];

    private readonly bool _tenantLabel;
    private readonly Counter<long> _inboundAccepted;
    private readonly Counter<long> _inboundRefused;
    private readonly Counter<long> _turnsStarted;
    private readonly Counter<long> _turnsCompleted;
    private readonly Counter<long> _turnsFailed;
    private readonly Histogram<double> _turnDuration;
    private readonly Counter<long> _deliveriesSent;
    private readonly Counter<long> _deliveriesRetried;
    private readonly Counter<long> _deliveriesDead;
    private readonly Histogram<double> _deliveryDuration;
    private readonly Histogram<double> _replyLatency;
    private readonly UpDownCounter<long> _runtimeSessions;
    private readonly Counter<long> _authFailures;
    private Func<int>? _acceptQueueDepth;

    /// <summary>Creates the meter and its instruments.</summary>
    public KernelMetrics(IMeterFactory meters, IOptions<ClawScaleOptions> options)
    {
        _tenantLabel = options.Value.Telemetry.TenantIdLabel;
        var meter = meters.Create(MeterName);
        _inboundAccepted = meter.CreateCounter<long>("clawscale.inbound.accepted", "{message}",
            "Inbound messages stored durably with a turn (webhooks, listeners, RouteInbound, web chat), by channel kind.");
        _inboundRefused = meter.CreateCounter<long>("clawscale.inbound.refused", "{message}",
            "Inbound messages not accepted, by channel kind and reason: duplicate, ignored (bots, group messages not for the bot), "
            + "sender_limited, overloaded, unavailable (database), and per webhook request unknown_channel, too_large, rejected (signature or body), adapter_error.");
        meter.CreateObservableUpDownCounter("clawscale.accept.queue.depth", () => Volatile.Read(ref _acceptQueueDepth)?.Invoke() ?? 0, "{call}",
            "ACCEPT calls waiting to be stored (group commit queue); at ClawScale:Pipeline:AcceptQueueLimit new calls are refused with 503.");
        _turnsStarted = meter.CreateCounter<long>("clawscale.turns.started", "{turn}",
            "Turns taken up by an agent, a kernel command or a connected runtime, by channel and agent kind.");
        _turnsCompleted = meter.CreateCounter<long>("clawscale.turns.completed", "{turn}",
            "Turns whose replies were stored, by channel and agent kind.");
        _turnsFailed = meter.CreateCounter<long>("clawscale.turns.failed", "{turn}",
            "Turns that failed (the user got an apology, admins see the error), by channel and agent kind.");
        _turnDuration = meter.CreateHistogram("clawscale.turn.duration", "s",
            "Time from taking a turn up to storing its outcome (agent call included), by channel kind, agent kind and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LongBuckets });
        _deliveriesSent = meter.CreateCounter<long>("clawscale.deliveries.sent", "{delivery}",
            "Deliveries the platform confirmed, by channel kind.");
        _deliveriesRetried = meter.CreateCounter<long>("clawscale.deliveries.retried", "{delivery}",
            "Send attempts that failed and were scheduled again with backoff, by channel kind.");
        _deliveriesDead = meter.CreateCounter<long>("clawscale.deliveries.dead_lettered", "{delivery}",
            "Deliveries that became dead letters (permanent error or attempts exhausted), by channel kind.");
        _deliveryDuration = meter.CreateHistogram("clawscale.delivery.duration", "s",
            "Duration of one send attempt through the channel adapter (the platform call), by channel kind and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ShortBuckets });
        _replyLatency = meter.CreateHistogram("clawscale.reply.latency", "s",
            "Time from accepting an inbound message to the platform confirming the delivery of a reply to it, by channel kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LongBuckets });
        _runtimeSessions = meter.CreateUpDownCounter<long>("clawscale.runtime.sessions", "{session}",
            "RuntimeService.Connect streams connected to this kernel instance.");
        _authFailures = meter.CreateCounter<long>("clawscale.api.auth.failures", "{call}",
            "gRPC calls refused for their API key, by method (rpc.method) and reason: unauthenticated (missing, unknown or revoked key), permission_denied (key lacks the scope).");
    }

    /// <summary>Whether <see cref="ReplyDelivered"/> is listened to (the DELIVER stage loads acceptance times only then).</summary>
    public bool ReplyLatencyEnabled => _replyLatency.Enabled;

    /// <summary>Counts <paramref name="count"/> messages of a channel of <paramref name="channelKind"/> stored with a turn.</summary>
    public void InboundAccepted(string channelKind, string tenantId, int count)
    {
        if (count > 0) _inboundAccepted.Add(count, Tags(channelKind, tenantId));
    }

    /// <summary>Counts <paramref name="count"/> inbound messages (or one webhook request) refused for <paramref name="reason"/>.</summary>
    public void InboundRefused(string channelKind, string? tenantId, string reason, int count = 1)
    {
        if (count <= 0) return;
        var tags = Tags(channelKind, tenantId);
        tags.Add(ReasonTag, reason);
        _inboundRefused.Add(count, tags);
    }

    /// <summary>Makes <c>clawscale.accept.queue.depth</c> report <paramref name="depth"/>.</summary>
    public void TrackAcceptQueue(Func<int> depth) => Volatile.Write(ref _acceptQueueDepth, depth);

    /// <summary>Counts a turn taken up.</summary>
    public void TurnStarted(string channelKind, string agentKind, string tenantId)
    {
        var tags = Tags(channelKind, tenantId);
        tags.Add(AgentKindTag, agentKind);
        _turnsStarted.Add(1, tags);
    }

    /// <summary>Counts a turn whose outcome was stored, and records how long it took.</summary>
    public void TurnFinished(string channelKind, string agentKind, string tenantId, bool failed, TimeSpan duration)
    {
        var tags = Tags(channelKind, tenantId);
        tags.Add(AgentKindTag, agentKind);
        (failed ? _turnsFailed : _turnsCompleted).Add(1, tags);
        tags.Add(OutcomeTag, failed ? Failed : Completed);
        _turnDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Records a send attempt: <paramref name="outcome"/> is <see cref="Delivered"/>, <see cref="Retry"/> or <see cref="DeadLetter"/>.</summary>
    public void DeliveryAttempted(string channelKind, string tenantId, string outcome, TimeSpan duration)
    {
        var tags = Tags(channelKind, tenantId);
        var counter = outcome switch
        {
            Delivered => _deliveriesSent,
            Retry => _deliveriesRetried,
            _ => _deliveriesDead,
        };
        counter.Add(1, tags);
        tags.Add(OutcomeTag, outcome);
        _deliveryDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Records the time from accepting the inbound message to the delivery of a reply to it.</summary>
    public void ReplyDelivered(string channelKind, string tenantId, TimeSpan latency) =>
        _replyLatency.Record(Math.Max(0, latency.TotalSeconds), Tags(channelKind, tenantId));

    /// <summary>A runtime stream connected.</summary>
    public void RuntimeSessionConnected(string tenantId) => _runtimeSessions.Add(1, TenantOnly(tenantId));

    /// <summary>A runtime stream ended.</summary>
    public void RuntimeSessionDisconnected(string tenantId) => _runtimeSessions.Add(-1, TenantOnly(tenantId));

    /// <summary>Counts a gRPC call refused for its API key; <paramref name="method"/> is <c>package.Service/Method</c>.</summary>
    public void AuthFailed(string method, string reason) =>
        _authFailures.Add(1, new TagList { { "rpc.method", method }, { ReasonTag, reason } });

    private TagList Tags(string channelKind, string? tenantId)
    {
        var tags = new TagList { { ChannelKindTag, string.IsNullOrEmpty(channelKind) ? UnknownKind : channelKind } };
        if (_tenantLabel && !string.IsNullOrEmpty(tenantId)) tags.Add(TenantTag, tenantId);
        return tags;
    }

    private TagList TenantOnly(string tenantId)
    {
        var tags = new TagList();
        if (_tenantLabel) tags.Add(TenantTag, tenantId);
        return tags;
    }
}
