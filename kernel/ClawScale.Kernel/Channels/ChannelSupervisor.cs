using ClawScale.Kernel.Pipeline.Accept;
using ClawScale.Kernel.Pipeline.Delivery;
using System.Collections.Concurrent;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Hosting;
using ClawScale.Plugins.Logging;
using ClawScale.Plugins.Messages;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ClawScale.Kernel.Channels;

/// <summary>
/// Keeps channels connected: every few seconds (and whenever an adapter is created) each active channel's adapter is
/// created and <c>ConnectAsync</c>ed once per adapter instance (its status set to connected, or error with the reason).
/// A channel without a listener (webhook mode) is not connected again until its adapter is replaced — the channel
/// updated (configuration or credentials), or its plugin reloaded; a failed connect is retried with exponential
/// backoff (<see cref="ConnectRetryDelay"/>), logged once per failure episode. A channel that receives through a
/// listener gets its <c>RunListenerAsync</c> run and restarted with backoff if it stops. On PostgreSQL a session
/// advisory lock per channel makes sure only one kernel instance runs a channel's listener.
/// </summary>
internal sealed partial class ChannelSupervisor(
    IServiceScopeFactory scopes,
    ChannelRegistry registry,
    IPluginInvoker invoker,
    TimeProvider time,
    IJitter jitter,
    ChannelListenerHealth health,
    ILogger<ChannelSupervisor> logger) : BackgroundService
{
    /// <summary>How often the channel table is scanned for channels to supervise (also woken when an adapter is created).</summary>
    internal static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(5);

    /// <summary>The wait after the first failed connect of an episode.</summary>
    internal static readonly TimeSpan ConnectRetryBaseDelay = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between connect attempts.</summary>
    internal static readonly TimeSpan ConnectRetryMaxDelay = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<ChannelHandle, Task> _running = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<ChannelHandle, CancellationTokenSource> _stops = new(ReferenceEqualityComparer.Instance);
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        registry.AdapterCreated += _ => Wake();
        registry.AdapterRemoved += Stop;
        health.SupervisorStarted();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogScanFailed(logger, ex);
            }

            health.ScanFinished();

            using var timer = new CancellationTokenSource(ScanInterval, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
            try
            {
                await _wake.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
        }

        health.SupervisorStopped();
        await Task.WhenAll(_running.Values.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    /// <summary>Stops the supervision (and listener) of an adapter taken out of service.</summary>
    private void Stop(ChannelHandle handle)
    {
        if (!_stops.TryGetValue(handle, out var stop)) return;
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Its supervision has just ended.
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    private async Task ScanAsync(CancellationToken ct)
    {
        List<string> ids;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
            ids = await db.Channels.Where(c => c.Status != ChannelStatusValue.Archived && c.Status != ChannelStatusValue.Disconnected)
                .Select(c => c.Id).ToListAsync(ct);
        }

        foreach (var id in ids)
        {
            // One broken channel must not keep the others from being supervised.
            try
            {
                var lookup = await registry.GetAsync(id, ct);
                if (lookup.Handle is { } handle && !_running.ContainsKey(handle))
                    _running[handle] = Task.Run(() => SuperviseAsync(handle, ct), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogChannelFailed(logger, id, ex);
            }
        }

        foreach (var (handle, task) in _running)
        {
            if (task.IsCompleted) _running.TryRemove(handle, out _);
        }
    }

    /// <summary>Connects one adapter instance, then runs its listener (if any) until the adapter is replaced or the kernel stops.</summary>
    private async Task SuperviseAsync(ChannelHandle handle, CancellationToken kernelStopping)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(kernelStopping);
        _stops[handle] = stop;
        try
        {
            await ConnectAndListenAsync(handle, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The kernel stops, or the adapter was replaced or removed.
        }
        finally
        {
            _stops.TryRemove(handle, out _);
            health.ListenerGone(handle.ChannelId);
        }
    }

    private async Task ConnectAndListenAsync(ChannelHandle handle, CancellationToken stoppingToken)
    {
        if (!registry.Live.Contains(handle)) return;
        if (!await ConnectWithBackoffAsync(handle, stoppingToken)) return;

        if (!handle.Adapter.UsesListener)
        {
            // Connected once (setWebhook, auth.test, …): nothing more to do until this adapter is taken out of service —
            // the channel updated, archived or deleted, or its plugin reloaded — which cancels this wait. Ending here
            // instead would let the next scan connect again, every few seconds, forever.
            await Task.Delay(Timeout.InfiniteTimeSpan, time, stoppingToken);
            return;
        }

        var attempt = 0;
        while (!stoppingToken.IsCancellationRequested && registry.Live.Contains(handle))
        {
            await using var lease = await TryLockListenerAsync(handle.ChannelId, stoppingToken);
            if (lease is null)
            {
                // Another kernel instance runs this channel's listener.
                await Task.Delay(ScanInterval * 2, time, stoppingToken);
                continue;
            }

            var sink = new AcceptorSink(scopes, handle);
            LogListening(logger, handle.ChannelId, handle.Kind);
            var started = time.GetTimestamp();
            try
            {
                await invoker.InvokeAsync(handle.Source, "RunListener", c => new ValueTask(handle.Adapter.RunListenerAsync(sink, c)), Timeout.InfiniteTimeSpan, stoppingToken);
                attempt = 0;
                health.ListenerStopped(handle.ChannelId, handle.Kind, failed: false, time.GetElapsedTime(started));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (PluginCallException ex)
            {
                LogListenerFailed(logger, handle.ChannelId, handle.Kind, ex);
                health.ListenerStopped(handle.ChannelId, handle.Kind, failed: true, time.GetElapsedTime(started));
            }

            attempt++;
            var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(attempt, 6))));
            await Task.Delay(delay, time, stoppingToken);
        }
    }

    /// <summary>
    /// Calls <c>ConnectAsync</c> until it succeeds (true) or the adapter leaves service (false), waiting
    /// <see cref="ConnectRetryDelay"/> between failed attempts. Each failure is written to the channel's status; the log
    /// gets one Warning when a failure episode starts (the error message, no stack trace: a bad token or an unreachable
    /// platform is expected, not a kernel bug), Debug lines (with the exception) for the retries, and one Information
    /// line when the channel recovers.
    /// </summary>
    private async Task<bool> ConnectWithBackoffAsync(ChannelHandle handle, CancellationToken stoppingToken)
    {
        var status = new ChannelStatusSink(scopes, handle.ChannelId, time);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested && registry.Live.Contains(handle))
        {
            string error;
            Exception? cause;
            try
            {
                // The adapter's own exception is caught inside the call and handed back, so that the invoker does not log
                // every attempt with its stack trace; the invoker still applies the timeout (and reports it).
                cause = await invoker.InvokeAsync<Exception?>(handle.Source, "Connect", async c =>
                {
                    try
                    {
                        await handle.Adapter.ConnectAsync(c);
                        return null;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !c.IsCancellationRequested)
                    {
                        return ex;
                    }
                }, ConnectTimeout, stoppingToken);
                error = cause is null ? string.Empty : $"{cause.GetType().Name}: {cause.Message}";
            }
            catch (PluginCallException ex)
            {
                cause = ex;
                error = ex.InnerException?.Message ?? ex.Message;
            }

            if (cause is null)
            {
                if (failures > 0) LogConnectRecovered(logger, handle.Kind, handle.ChannelId, failures);
                if (!handle.Adapter.UsesListener) await status.ReportConnectedAsync(stoppingToken);
                return true;
            }

            failures++;
            if (failures == 1) LogConnectFailed(logger, handle.ChannelId, handle.Kind, error);
            else LogConnectRetryFailed(logger, handle.Kind, handle.ChannelId, failures, cause);
            await status.ReportErrorAsync($"Connecting failed: {(cause as PluginCallException)?.InnerException?.Message ?? cause.Message}", stoppingToken);
            await Task.Delay(ConnectRetryDelay(failures, jitter.NextDouble()), time, stoppingToken);
        }

        return false;
    }

    /// <summary>
    /// The wait after the <paramref name="failures"/>-th failed connect in a row: 5 s doubling per failure up to 5 min
    /// (<see cref="ConnectRetryBaseDelay"/>, <see cref="ConnectRetryMaxDelay"/>), scaled by ±20% jitter
    /// (<see cref="RetryPolicy.JitterFraction"/>; <paramref name="jitter"/> in [0, 1), 0.5 for none).
    /// </summary>
    internal static TimeSpan ConnectRetryDelay(int failures, double jitter)
    {
        var doubled = ConnectRetryBaseDelay.TotalSeconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        var capped = Math.Min(doubled, ConnectRetryMaxDelay.TotalSeconds);
        var factor = 1 + RetryPolicy.JitterFraction * (2 * Math.Clamp(jitter, 0, 1) - 1);
        return TimeSpan.FromSeconds(capped * factor);
    }

    /// <summary>A session advisory lock on PostgreSQL (held on its own connection), nothing to hold on SQLite.</summary>
    private async Task<IAsyncDisposable?> TryLockListenerAsync(string channelId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        if (db.Provider != DatabaseProvider.Postgres) return NoLock.Instance;
        // Unpooled: disposing the connection closes the session, which releases the lock (a pooled connection would keep
        // the session, and with it the lock, alive in the pool; the kernel's pool skips the reset, see PostgresConnectionString).
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended(@id, 7))", connection);
        command.Parameters.AddWithValue("id", "clawscale-listener:" + channelId);
        if (await command.ExecuteScalarAsync(ct) is true) return connection;
        await connection.DisposeAsync();
        return null;
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>The ACCEPT stage as a listener sees it.</summary>
    private sealed class AcceptorSink(IServiceScopeFactory scopes, ChannelHandle handle) : IInboundSink
    {
        public async ValueTask AcceptAsync(IReadOnlyList<InboundMessage> messages, CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IInboundAcceptor>().AcceptAsync(handle, messages, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 2501, Level = LogLevel.Error, Message = "Scanning channels failed")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2505, Level = LogLevel.Error, Message = "Supervising channel {ChannelId} failed; the other channels go on")]
    private static partial void LogChannelFailed(ILogger logger, string channelId, Exception exception);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Connecting {Kind} channel {ChannelId} failed: {Error}; retrying with backoff (5 s doubling to 5 min)")]
    private static partial void LogConnectFailed(ILogger logger, string channelId, string kind, SafeLogString error);

    [LoggerMessage(EventId = 2506, Level = LogLevel.Debug, Message = "Connecting {Kind} channel {ChannelId} failed again ({Failures} failures in a row)")]
    private static partial void LogConnectRetryFailed(ILogger logger, string kind, string channelId, int failures, Exception exception);

    [LoggerMessage(EventId = 2507, Level = LogLevel.Information, Message = "{Kind} channel {ChannelId} connected after {Failures} failed attempts")]
    private static partial void LogConnectRecovered(ILogger logger, string kind, string channelId, int failures);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Information, Message = "Listening on {Kind} channel {ChannelId}")]
    private static partial void LogListening(ILogger logger, string channelId, string kind);

    [LoggerMessage(EventId = 2504, Level = LogLevel.Warning, Message = "The listener of {Kind} channel {ChannelId} stopped; restarting with backoff")]
    private static partial void LogListenerFailed(ILogger logger, string channelId, string kind, Exception exception);
}
