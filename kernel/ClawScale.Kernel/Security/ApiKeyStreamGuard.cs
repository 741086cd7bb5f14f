using ClawScale.Kernel.Hosting;
using ClawScale.Kernel.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Security;

/// <summary>
/// Ends long-lived gRPC streams (RuntimeService.Connect, DeliveryService.WatchDeliveries) whose API key stops being
/// valid, so that a revoked key or a deleted tenant does not keep receiving turns or delivery states.
/// </summary>
/// <remarks>
/// Two paths, both ending the stream with UNAUTHENTICATED (<see cref="ApiKeyStreamLease.RevokedError"/>):
/// on the instance that revokes the key or deletes its tenant, at once (<see cref="ApiKeyAuthenticator.Invalidate"/>);
/// on every instance, by re-checking the keys of its open streams against the database every
/// <see cref="RecheckInterval"/> (<see cref="SecurityOptions.ApiKeyCacheTtl"/>, or 1 s when the cache is off), one
/// query per 500 keys. A key revoked elsewhere therefore stops streaming here within the same bound as it stops
/// authenticating new calls. A failed re-check (database unavailable) keeps the streams and is retried next interval.
/// </remarks>
internal sealed partial class ApiKeyStreamGuard : BackgroundService
{
    private const int QueryChunk = 500;

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger<ApiKeyStreamGuard> _logger;
    private readonly IOptions<ClawScaleOptions> _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<ApiKeyStreamLease>> _streams = new(StringComparer.Ordinal);

    // Options are read when first needed, not here: the host builds hosted services before it validates options, and
    // reading them here would report the first invalid section alone instead of every error.
    public ApiKeyStreamGuard(IServiceScopeFactory scopes, TimeProvider time, IOptions<ClawScaleOptions> options, ILogger<ApiKeyStreamGuard> logger)
    {
        _scopes = scopes;
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>How often the keys of open streams are checked against the database: the cache TTL, or 1 s when it is 0.</summary>
    public TimeSpan RecheckInterval =>
        _options.Value.Security.ApiKeyCacheTtl is var ttl && ttl > TimeSpan.Zero ? ttl : TimeSpan.FromSeconds(1);

    /// <summary>The streams tracked now.</summary>
    public int OpenStreams
    {
        get
        {
            lock (_gate) return _streams.Values.Sum(s => s.Count);
        }
    }

    /// <summary>
    /// Tracks a stream of <paramref name="caller"/>'s key until the returned lease is disposed. Run the stream on
    /// <see cref="ApiKeyStreamLease.Token"/>.
    /// </summary>
    public ApiKeyStreamLease Track(Caller caller, CancellationToken callCancelled)
    {
        var lease = new ApiKeyStreamLease(caller.KeyId, callCancelled, Forget);
        lock (_gate)
        {
            if (!_streams.TryGetValue(caller.KeyId, out var set)) _streams[caller.KeyId] = set = [];
            set.Add(lease);
        }

        return lease;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(RecheckInterval, _time, stoppingToken);
            string[] keyIds;
            lock (_gate) keyIds = [.. _streams.Keys];
            if (keyIds.Length == 0) continue;
            try
            {
                var active = new HashSet<string>(StringComparer.Ordinal);
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
                foreach (var chunk in keyIds.Chunk(QueryChunk))
                {
                    var ids = chunk.ToList();
                    active.UnionWith(await db.ApiKeys.AsNoTracking().Where(k => ids.Contains(k.Id) && k.RevokedAt == null).Select(k => k.Id).ToListAsync(stoppingToken));
                }

                foreach (var keyId in keyIds.Where(id => !active.Contains(id))) EndStreams(keyId, "revoked or deleted (found on re-check)");
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRecheckFailed(_logger, keyIds.Length, ex);
            }
        }
    }

    /// <summary>Ends every open stream of <paramref name="keyId"/> on this instance with UNAUTHENTICATED.</summary>
    /// <param name="keyId">The revoked or deleted key.</param>
    /// <param name="reason">For the log line.</param>
    public void EndStreams(string keyId, string reason)
    {
        ApiKeyStreamLease[] leases;
        lock (_gate)
        {
            if (!_streams.Remove(keyId, out var set)) return;
            leases = [.. set];
        }

        LogEnded(_logger, keyId, leases.Length, reason);
        foreach (var lease in leases) lease.Revoke();
    }

    private void Forget(ApiKeyStreamLease lease)
    {
        lock (_gate)
        {
            if (!_streams.TryGetValue(lease.KeyId, out var set)) return;
            set.Remove(lease);
            if (set.Count == 0) _streams.Remove(lease.KeyId);
        }
    }

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "API key {KeyId} {Reason}: ending its {Count} open stream(s) with UNAUTHENTICATED")]
    private static partial void LogEnded(ILogger logger, string keyId, int count, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Could not re-check the API keys of {Count} open stream(s) against the database; retrying next interval")]
    private static partial void LogRecheckFailed(ILogger logger, int count, Exception exception);
}
