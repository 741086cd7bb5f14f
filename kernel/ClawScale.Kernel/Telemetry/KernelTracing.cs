using System.Diagnostics;

namespace ClawScale.Kernel.Telemetry;

/// <summary>
/// The kernel's spans on the activity source <see cref="SourceName"/>, one per pipeline stage of a message
/// (ARCHITECTURE.md, "The message pipeline"):
/// <list type="bullet">
/// <item><description><c>ACCEPT</c> (producer): storing inbound messages; a child of the webhook's or RouteInbound's
/// server span, whose parent is the caller's W3C <c>traceparent</c> when it sent one (ASP.NET Core extracts it).</description></item>
/// <item><description><c>DISPATCH</c> (consumer): running a turn (kernel command, agent plugin or dial-out runtime call,
/// or the hand-off to a connected runtime); its parent is the <c>traceparent</c> stored with the turn at ACCEPT.</description></item>
/// <item><description><c>DELIVER</c> (consumer): one send attempt through the channel adapter; its parent is the
/// <c>traceparent</c> stored with the delivery (the DISPATCH span of the turn that produced it, or the caller of
/// DeliveryService.Deliver). The adapter's HttpClient call is a child, and sends the W3C headers to the platform.</description></item>
/// </list>
/// The trace context travels through the database (<c>turns.trace_parent</c>, <c>outbound_deliveries.trace_parent</c>),
/// so one message is one trace even when another kernel instance dispatches or delivers it. When nothing listens to
/// the source the stages create no span and the stored context is passed on unchanged.
/// </summary>
internal static class KernelTracing
{
    /// <summary>The name of the kernel's activity source.</summary>
    public const string SourceName = "ClawScale.Kernel";

    /// <summary>The kernel's activity source.</summary>
    public static readonly ActivitySource Source = new(SourceName, typeof(KernelTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Starts <c>ACCEPT</c> for <paramref name="messages"/> messages of a channel, under the current activity (the server span).</summary>
    public static Activity? StartAccept(string channelId, string channelKind, string tenantId, int messages)
    {
        var activity = Source.StartActivity("ACCEPT", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("clawscale.channel.id", channelId);
            activity.SetTag(KernelMetrics.ChannelKindTag, channelKind);
            activity.SetTag(KernelMetrics.TenantTag, tenantId);
            activity.SetTag("clawscale.message.count", messages);
        }

        return activity;
    }

    /// <summary>
    /// Starts <c>DISPATCH</c> for a turn, child of <paramref name="traceParent"/> (the context stored with the turn); a
    /// new trace when there is none.
    /// </summary>
    public static Activity? StartDispatch(string? traceParent, string turnId, string tenantId, string channelKind, string agentKind, int attempt)
    {
        var activity = StartFromStored("DISPATCH", traceParent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("clawscale.turn.id", turnId);
            activity.SetTag("clawscale.turn.attempt", attempt);
            activity.SetTag(KernelMetrics.TenantTag, tenantId);
            activity.SetTag(KernelMetrics.ChannelKindTag, channelKind);
            activity.SetTag(KernelMetrics.AgentKindTag, agentKind);
        }

        return activity;
    }

    /// <summary>Starts <c>DELIVER</c> for one send attempt, child of <paramref name="traceParent"/> (the context stored with the delivery).</summary>
    public static Activity? StartDeliver(string? traceParent, string deliveryId, string channelId, string channelKind, string tenantId, int attempt)
    {
        var activity = StartFromStored("DELIVER", traceParent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("clawscale.delivery.id", deliveryId);
            activity.SetTag("clawscale.delivery.attempt", attempt);
            activity.SetTag("clawscale.channel.id", channelId);
            activity.SetTag(KernelMetrics.ChannelKindTag, channelKind);
            activity.SetTag(KernelMetrics.TenantTag, tenantId);
        }

        return activity;
    }

    /// <summary>
    /// The W3C <c>traceparent</c> (<c>00-{trace id}-{span id}-{flags}</c>, 55 characters) of the current activity, to
    /// store with work that continues this trace; null when there is no current activity in the W3C format.
    /// </summary>
    public static string? CurrentTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// The context to store for work started under <paramref name="activity"/> (the stage's span): its id, or
    /// <paramref name="fallback"/> (the stored context the stage continued) when no span was created.
    /// </summary>
    public static string? TraceParentOf(Activity? activity, string? fallback) =>
        activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : fallback;

    /// <summary>Marks <paramref name="activity"/> failed with a short description (no exception text from plugins).</summary>
    public static void SetError(Activity? activity, string description) => activity?.SetStatus(ActivityStatusCode.Error, description);

    /// <summary>
    /// Starts a consumer span whose parent is the stored <paramref name="traceParent"/>. The pipeline workers run outside
    /// any request, so an activity current here is not this work's parent: without a stored context the span is a root.
    /// </summary>
    private static Activity? StartFromStored(string name, string? traceParent)
    {
        if (!ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent))
        {
            parent = default;
            Activity.Current = null;
        }

        return Source.StartActivity(name, ActivityKind.Consumer, parent);
    }
}
