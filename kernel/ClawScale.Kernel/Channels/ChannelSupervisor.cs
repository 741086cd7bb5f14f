using System.Collections.Concurrent;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Hosting;
using ClawScale.Plugins.Messages;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ClawScale.Kernel.Channels;

/// <summary>
/// Keeps channels connected: every few seconds (and whenever an adapter is created) each active channel's adapter is
/// created, <c>ConnectAsync</c>ed once (its status set to connected, or error with the reason), and — when it receives
/// through a listener — its <c>RunListenerAsync</c> is run and restarted with backoff if it stops. On PostgreSQL a
/// session advisory lock per channel makes sure only one kernel instance runs a channel's listener.
/// </summary>
internal sealed partial class ChannelSupervisor(
    IServiceScopeFactory scopes,
    ChannelRegistry registry,
    IPluginInvoker invoker,
    TimeProvider time,
    ILogger<ChannelSupervisor> logger) : BackgroundService
{
    private static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<ChannelHandle, Task> _running = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<ChannelHandle, CancellationTokenSource> _stops = new(ReferenceEqualityComparer.Instance);
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        registry.AdapterCreated += _ => Wake();
        registry.AdapterRemoved += Stop;
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
        }
    }

    private async Task ConnectAndListenAsync(ChannelHandle handle, CancellationToken stoppingToken)
    {
        if (!registry.Live.Contains(handle)) return;
        var status = new ChannelStatusSink(scopes, handle.ChannelId, time);
        try
        {
            await invoker.InvokeAsync(handle.Source, "Connect", c => handle.Adapter.ConnectAsync(c), TimeSpan.FromSeconds(30), stoppingToken);
            if (!handle.Adapter.UsesListener) await status.ReportConnectedAsync(stoppingToken);
        }
        catch (PluginCallException ex)
        {
            LogConnectFailed(logger, handle.ChannelId, handle.Kind, ex.Message);
            await status.ReportErrorAsync($"Connecting failed: {ex.InnerException?.Message ?? ex.Message}", stoppingToken);
            return;
        }

        if (!handle.Adapter.UsesListener) return;
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
            try
            {
                await invoker.InvokeAsync(handle.Source, "RunListener", c => new ValueTask(handle.Adapter.RunListenerAsync(sink, c)), Timeout.InfiniteTimeSpan, stoppingToken);
                attempt = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (PluginCallException ex)
            {
                LogListenerFailed(logger, handle.ChannelId, handle.Kind, ex);
            }

            attempt++;
            var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(attempt, 6))));
            await Task.Delay(delay, time, stoppingToken);
        }
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

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Connecting {Kind} channel {ChannelId} failed: {Error}")]
    private static partial void LogConnectFailed(ILogger logger, string channelId, string kind, string error);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Information, Message = "Listening on {Kind} channel {ChannelId}")]
    private static partial void LogListening(ILogger logger, string channelId, string kind);

    [LoggerMessage(EventId = 2504, Level = LogLevel.Warning, Message = "The listener of {Kind} channel {ChannelId} stopped; restarting with backoff")]
    private static partial void LogListenerFailed(ILogger logger, string channelId, string kind, Exception exception);
}
