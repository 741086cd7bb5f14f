using System.Text.Json;
using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Telemetry;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Hosting;
using ClawScale.Plugins.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Pipeline.Delivery;

/// <summary>
/// The DELIVER stage (a <see cref="ClaimLoop{THandOff,TItem}"/>): takes the deliveries DISPATCH hands off
/// (<see cref="DeliveryPool"/>) and claims due ones (see <see cref="DeliveryClaims"/>), sends each through its channel's
/// adapter within the channel's limits (<see cref="ChannelSendLimiter"/>), and records the outcome: delivered;
/// failed and retried with backoff (<see cref="RetryPolicy"/>, honouring the platform's Retry-After); or dead after
/// <see cref="PipelineOptions.DeliveryMaxAttempts"/> attempts or a permanent error. Sends of different routes run in
/// parallel; a route's deliveries go out one at a time, in order. When idle it waits for a hand-off,
/// <see cref="IPipelineSignals.DeliveriesAvailable"/> or the poll interval.
/// Each attempt is the span <c>DELIVER</c>, child of the context stored with the delivery (<see cref="KernelTracing"/>),
/// so the adapter's platform call carries the message's trace; attempts are counted in <c>clawscale.deliveries.*</c>,
/// <c>clawscale.delivery.duration</c> and <c>clawscale.reply.latency</c> (<see cref="KernelMetrics"/>).
/// </summary>
internal sealed class DeliveryWorker(
    IServiceScopeFactory scopes,
    IChannelRegistry registry,
    IPluginInvoker invoker,
    ChannelSendLimiter limiter,
    SqliteWriteGate gate,
    IPipelineSignals signals,
    DeliveryChangeFeed changes,
    DeliveryPool pool,
    IJitter jitter,
    IOptions<PipelineOptions> options,
    KernelMetrics metrics,
    TimeProvider time,
    ILogger<DeliveryWorker> logger) : ClaimLoop<HandedDelivery, ClaimedDelivery>(pool, time, logger)
{
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;

    /// <summary>Deliveries held (claimed and not yet recorded) by one worker at most.</summary>
    internal const int MaxInFlight = 64;

    private const int MaxErrorLength = 2000;

    /// <summary>How long a channel's send limits and kind are used before they are read again.</summary>
    private static readonly TimeSpan ChannelSettingsTtl = TimeSpan.FromSeconds(2);

    /// <summary>Channel settings by channel id; replaced as a whole, so readers never see a half-updated map.</summary>
    private volatile Dictionary<string, ChannelSettings> _channels = new(StringComparer.Ordinal);

    /// <summary>Group commit of send outcomes; created when the worker starts, before any send.</summary>
    private GroupCommitQueue<DeliveryOutcome, bool> _outcomes = null!;

    /// <summary>This worker's identity in <c>claimed_by</c>: host, process and a random part (unique per instance).</summary>
    public string WorkerId { get; } = pool.WorkerId;

    private PipelineOptions Options => options.Value;

    protected override int MaxClaim => MaxInFlight;

    protected override TimeSpan PollInterval => Options.PollInterval;

    protected override void OnStarting()
    {
        _outcomes = new GroupCommitQueue<DeliveryOutcome, bool>(
            "delivery outcome", int.MaxValue, 256, 1,
            async (items, ct) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
                using (await gate.EnterAsync(db, ct)) return await DeliveryOutcomeWriter.WriteAsync(db, items, WorkerId, _time.GetUtcNow().UtcDateTime, ct);
            },
            _logger);
        DeliveryLog.WorkerStarted(_logger, WorkerId);
    }

    protected override IDisposable SubscribeToSignal(Action onSignal) => signals.OnDeliveries(onSignal);

    protected override Task RunAsync(ClaimedDelivery item, CancellationToken stoppingToken) => ProcessAsync(item, stoppingToken);

    protected override async Task ReleaseUnstartedAsync(IReadOnlyList<HandedDelivery> items)
    {
        foreach (var item in items) await ReleaseAsync(item.Row);
    }

    protected override async Task OnStoppedAsync() => await _outcomes.DisposeAsync();

    /// <summary>Claims due deliveries (<see cref="DeliveryClaims"/>) and loads their routes and channels.</summary>
    protected override async Task<(IReadOnlyList<ClaimedDelivery> Items, bool MoreWaiting)> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        var now = _time.GetUtcNow().UtcDateTime;
        List<OutboundDeliveryEntity> rows;
        using (await gate.EnterAsync(db, cancellationToken)) rows = await DeliveryClaims.ClaimAsync(db, WorkerId, now, now + Options.LeaseDuration, limit, cancellationToken);
        if (rows.Count == 0) return ([], false);
        changes.Notify();

        var accepted = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        if (metrics.ReplyLatencyEnabled)
        {
            var turnIds = rows.Where(r => r.TurnId is not null).Select(r => r.TurnId!).Distinct().ToList();
            if (turnIds.Count > 0)
                accepted = await db.Turns.Where(t => turnIds.Contains(t.Id)).Select(t => new { t.Id, t.CreatedAt }).ToDictionaryAsync(t => t.Id, t => t.CreatedAt, StringComparer.Ordinal, cancellationToken);
        }

        var routeIds = rows.Select(r => r.DeliveryRouteId).Distinct().ToList();
        var routes = await db.DeliveryRoutes.Where(r => routeIds.Contains(r.Id))
            .Select(r => new RouteAddress(r.Id, r.ChannelId, r.ExternalChatId, r.ExternalThreadId))
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        var channels = await ChannelsAsync(db, rows.Select(r => r.ChannelId), cancellationToken);
        var claimed = rows.ConvertAll(r => Claimed(r, routes.GetValueOrDefault(r.DeliveryRouteId), channels, r.TurnId is not null && accepted.TryGetValue(r.TurnId, out var at) ? at : null));
        return (claimed, rows.Count == limit);
    }

    /// <summary>Takes the deliveries DISPATCH stored already claimed by this worker (their routes come with them).</summary>
    protected override async Task<IReadOnlyList<ClaimedDelivery>> PrepareAsync(IReadOnlyList<HandedDelivery> handedOff, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, ChannelSettings> channels = _channels;
        if (handedOff.Any(h => Stale(h.Row.ChannelId)))
        {
            await using var scope = scopes.CreateAsyncScope();
            channels = await ChannelsAsync(scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>(), handedOff.Select(h => h.Row.ChannelId), cancellationToken);
        }

        return handedOff.Select(h => Claimed(h.Row, h.Route, channels, metrics.ReplyLatencyEnabled ? h.AcceptedAt : null)).ToList();
    }

    private static ClaimedDelivery Claimed(OutboundDeliveryEntity row, RouteAddress? route, IReadOnlyDictionary<string, ChannelSettings> channels, DateTime? acceptedAt) =>
        channels.TryGetValue(row.ChannelId, out var channel)
            ? new ClaimedDelivery(row, route, channel.Config, channel.Kind, acceptedAt)
            : new ClaimedDelivery(row, route, null, string.Empty, acceptedAt);

    /// <summary>
    /// The config (send limits) and kind of the channels, read at most every <see cref="ChannelSettingsTtl"/> per channel:
    /// a changed limit applies within that time; a channel that no longer exists is read again on every claim.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, ChannelSettings>> ChannelsAsync(ClawScaleDbContext db, IEnumerable<string> channelIds, CancellationToken cancellationToken)
    {
        var stale = channelIds.Where(Stale).Distinct(StringComparer.Ordinal).ToList();
        if (stale.Count == 0) return _channels;
        var rows = await db.Channels.Where(c => stale.Contains(c.Id)).Select(c => new { c.Id, c.ConfigJson, c.Kind }).ToListAsync(cancellationToken);
        var now = _time.GetTimestamp();
        var next = new Dictionary<string, ChannelSettings>(_channels, StringComparer.Ordinal);
        foreach (var id in stale) next.Remove(id);
        foreach (var c in rows) next[c.Id] = new ChannelSettings(JsonMaps.Read(c.ConfigJson), c.Kind, now);
        _channels = next;
        return next;
    }

    private bool Stale(string channelId) => !_channels.TryGetValue(channelId, out var c) || _time.GetElapsedTime(c.ReadAt) >= ChannelSettingsTtl;

    private async Task ProcessAsync(ClaimedDelivery claimed, CancellationToken stoppingToken)
    {
        var row = claimed.Row;
        using var activity = KernelTracing.StartDeliver(row.TraceParent, row.Id, row.ChannelId, claimed.ChannelKind, row.TenantId, row.Attempts);
        try
        {
            var started = _time.GetTimestamp();
            var result = await SendAsync(claimed, stoppingToken);
            await RecordAsync(claimed, result, _time.GetElapsedTime(started), activity);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await ReleaseAsync(claimed.Row);
        }
        catch (Exception ex)
        {
            // Recording failed (database unavailable): the lease expires and the delivery is taken over.
            DeliveryLog.ProcessFailed(_logger, claimed.Row.Id, ex);
        }
    }

    private async Task<SendResult> SendAsync(ClaimedDelivery claimed, CancellationToken cancellationToken)
    {
        var row = claimed.Row;
        if (claimed.Route is not { } route) return SendResult.Retry($"The delivery route '{row.DeliveryRouteId}' no longer exists.");

        var lookup = await registry.GetAsync(row.ChannelId, cancellationToken);
        if (lookup.Handle is not { } handle)
            return SendResult.Retry(lookup.Problem ?? $"Channel '{row.ChannelId}' has no adapter.");

        IReadOnlyList<MessageAttachment> attachments;
        try
        {
            attachments = AttachmentJson.Read(row.AttachmentsJson);
        }
        catch (JsonException ex)
        {
            return SendResult.Permanent("The stored attachments are not readable: " + ex.Message);
        }

        var message = new OutboundMessage
        {
            DeliveryId = row.Id,
            IdempotencyKey = row.IdempotencyKey,
            ExternalChatId = route.ExternalChatId,
            ExternalThreadId = string.IsNullOrEmpty(route.ExternalThreadId) ? null : route.ExternalThreadId,
            Text = string.IsNullOrEmpty(row.Text) ? null : row.Text,
            Attachments = attachments,
            ReplyToPlatformMessageId = string.IsNullOrEmpty(row.ReplyToPlatformMessageId) ? null : row.ReplyToPlatformMessageId,
            Attempt = row.Attempts,
            Properties = JsonMaps.Read(row.PropertiesJson),
        };

        using var permit = await limiter.AcquireAsync(row.ChannelId, claimed.ChannelConfig, cancellationToken);
        try
        {
            var result = await invoker.InvokeAsync(handle.Source, nameof(IChannelAdapter.SendAsync), ct => handle.Adapter.SendAsync(message, ct), null, cancellationToken);
            return result ?? SendResult.Retry($"The '{handle.Kind}' adapter returned no result.");
        }
        catch (PluginCallException ex)
        {
            return SendResult.Retry(ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return SendResult.Retry($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task RecordAsync(ClaimedDelivery claimed, SendResult result, TimeSpan sendDuration, System.Diagnostics.Activity? activity)
    {
        var row = claimed.Row;
        var now = _time.GetUtcNow().UtcDateTime;
        var routeUnblocked = true;
        DeliveryOutcome outcome;
        switch (result.Outcome)
        {
            case SendOutcome.Delivered:
                outcome = new DeliveryOutcome(row, DeliveryStatusValue.Delivered, Truncate(result.ProviderMessageId, 256) ?? string.Empty, string.Empty, now, now);
                break;
            case SendOutcome.Retry when row.Attempts < Options.DeliveryMaxAttempts:
                var error = Truncate(result.Error ?? "The platform asked to retry.", MaxErrorLength)!;
                var next = now + RetryPolicy.Delay(row.Attempts, result.RetryAfter, Options, jitter.NextDouble());
                outcome = new DeliveryOutcome(row, DeliveryStatusValue.Failed, string.Empty, error, next, now);
                routeUnblocked = false;
                break;
            default:
                var reason = Truncate(result.Error ?? "The platform refused the message.", MaxErrorLength)!;
                outcome = new DeliveryOutcome(row, DeliveryStatusValue.Dead, string.Empty, reason, now, now);
                break;
        }

        // Recorded even while shutting down: the send happened, so its outcome must be stored.
        // Retried while the database is away: the platform has the message, so its outcome must not be lost.
        var recorded = await _outcomes.SubmitUntilAsync(outcome, row.ClaimedUntil, _time,
            (ex, delay) => DeliveryLog.OutcomeRetrying(_logger, row.Id, outcome.Status.ToString(), delay.TotalMilliseconds, ex));
        if (!recorded)
        {
            DeliveryLog.ClaimLost(_logger, row.Id, result.Outcome.ToString());
            return;
        }

        switch (outcome.Status)
        {
            case DeliveryStatusValue.Delivered:
                DeliveryLog.Delivered(_logger, row.Id, row.ChannelId, row.Attempts, result.ProviderMessageId);
                metrics.DeliveryAttempted(claimed.ChannelKind, row.TenantId, KernelMetrics.Delivered, sendDuration);
                if (claimed.AcceptedAt is { } acceptedAt) metrics.ReplyDelivered(claimed.ChannelKind, row.TenantId, now - acceptedAt);
                break;
            case DeliveryStatusValue.Failed:
                DeliveryLog.Retrying(_logger, row.Id, row.ChannelId, row.Attempts, Options.DeliveryMaxAttempts, outcome.NextAttemptAt, outcome.Error);
                metrics.DeliveryAttempted(claimed.ChannelKind, row.TenantId, KernelMetrics.Retry, sendDuration);
                KernelTracing.SetError(activity, "The send failed; retried with backoff.");
                break;
            default:
                DeliveryLog.DeadLetter(_logger, row.Id, row.ChannelId, row.Attempts, outcome.Error);
                metrics.DeliveryAttempted(claimed.ChannelKind, row.TenantId, KernelMetrics.DeadLetter, sendDuration);
                KernelTracing.SetError(activity, "The delivery is a dead letter.");
                break;
        }

        activity?.SetTag(KernelMetrics.OutcomeTag, outcome.Status switch
        {
            DeliveryStatusValue.Delivered => KernelMetrics.Delivered,
            DeliveryStatusValue.Failed => KernelMetrics.Retry,
            _ => KernelMetrics.DeadLetter,
        });

        changes.Notify();
        if (routeUnblocked) signals.DeliveriesAvailable();
    }

    private async Task ReleaseAsync(OutboundDeliveryEntity row)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
            var now = _time.GetUtcNow().UtcDateTime;
            await DeliveryClaims.FailedAsync(db, row, WorkerId, DeliveryStatusValue.Failed, "Interrupted by a kernel shutdown; retried at the next start.", now, now, timeout.Token);
            DeliveryLog.Interrupted(_logger, row.Id);
        }
        catch (Exception ex) when (ex is OperationCanceledException or DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The lease expires and another worker (or the next start) takes the delivery over.
        }
    }

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    private sealed record ChannelSettings(IReadOnlyDictionary<string, string> Config, string Kind, long ReadAt);
}
