using ClawScale.Kernel.Hosting;
using ClawScale.Kernel.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Security;

/// <summary>
/// Resolves <c>authorization: Bearer &lt;api key&gt;</c> to a <see cref="Caller"/>: looks the key up by its SHA-256
/// hash, compares in constant time, refuses revoked keys. <c>last_used_at</c> is refreshed at most once a minute.
/// </summary>
/// <remarks>
/// Verified keys are kept in memory (hash → caller) for <see cref="SecurityOptions.ApiKeyCacheTtl"/>, so an
/// authenticated call does not query the database. A key revoked or deleted through this kernel instance is
/// dropped from the cache at once (<see cref="Invalidate"/>); on other instances sharing the database it keeps
/// working until its entry expires, at most the TTL. Unknown keys are never cached (a brute force cannot fill memory),
/// and the cache holds at most <see cref="SecurityOptions.ApiKeyCacheSize"/> keys. Streams opened with a key are
/// re-checked by <see cref="ApiKeyStreamGuard"/>, with the same bound.
/// </remarks>
internal sealed class ApiKeyAuthenticator : IDisposable
{
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly MemoryCache? _cache;

    // Bumped by Invalidate: a database read that started before an invalidation must not be cached after it.
    private long _generation;

    private long _lookups;

    private readonly ApiKeyStreamGuard? _streams;

    /// <param name="scopes">Database scopes.</param>
    /// <param name="time">The clock of the cache.</param>
    /// <param name="options">The <c>Security</c> settings.</param>
    /// <param name="streams">Ends the open streams of an invalidated key; null when nothing streams (unit tests).</param>
    public ApiKeyAuthenticator(IServiceScopeFactory scopes, TimeProvider time, IOptions<ClawScaleOptions> options, ApiKeyStreamGuard? streams = null)
    {
        _scopes = scopes;
        _time = time;
        _streams = streams;
        var security = options.Value.Security;
        _ttl = security.ApiKeyCacheTtl;
        if (_ttl > TimeSpan.Zero)
        {
            _cache = new MemoryCache(new MemoryCacheOptions
            {
                SizeLimit = security.ApiKeyCacheSize,
                Clock = new TimeProviderClock(time),
                // Expired entries are also dropped on read; the scan only reclaims memory of keys no longer used.
                ExpirationScanFrequency = _ttl,
            });
        }
    }

    /// <summary>How many times a key was looked up in the database (cache misses), since start; a diagnostic seam for tests.</summary>
    public long DatabaseLookups => Interlocked.Read(ref _lookups);

    /// <summary>Returns the caller, or null when the header is missing, malformed, unknown or revoked.</summary>
    public async ValueTask<Caller?> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (!TryHash(authorization, out var hash)) return null;
        return await FromMemoryAsync(hash, cancellationToken) ?? await LookUpAsync(hash, cancellationToken);
    }

    /// <summary>
    /// The SHA-256 hash of the key in an <c>authorization: Bearer csk_…</c> header; false when the header is missing or
    /// malformed (no database query is needed to reject it).
    /// </summary>
    public static bool TryHash(string? authorization, out byte[] hash)
    {
        hash = [];
        if (!TryParseBearer(authorization, out var secret)) return false;
        hash = ApiKeySecrets.Hash(secret);
        return true;
    }

    /// <summary>The caller of a key this instance has verified within the TTL, or null (without querying the database).</summary>
    /// <param name="hash">From <see cref="TryHash"/>.</param>
    /// <param name="cancellationToken">Cancels the <c>last_used_at</c> refresh (at most once a minute per key).</param>
    public async ValueTask<Caller?> FromMemoryAsync(byte[] hash, CancellationToken cancellationToken)
    {
        if (_cache is null || !_cache.TryGetValue(Convert.ToBase64String(hash), out var value) || value is not CachedKey cached) return null;
        var now = _time.GetUtcNow().UtcDateTime;
        if (cached.ClaimLastUsedUpdate(now))
            await UpdateLastUsedAsync(cached.Caller.KeyId, now, cancellationToken);
        return cached.Caller;
    }

    /// <summary>Looks the key up in the database (one query, plus a <c>last_used_at</c> update) and caches a valid one; null when unknown or revoked.</summary>
    /// <param name="hash">From <see cref="TryHash"/>.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async ValueTask<Caller?> LookUpAsync(byte[] hash, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        var generation = Interlocked.Read(ref _generation);
        var read = await ReadAsync(hash, cancellationToken);
        if (read is null) return null;
        if (_cache is not null && Interlocked.Read(ref _generation) == generation)
        {
            _cache.Set(Convert.ToBase64String(hash), read, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _ttl });
        }

        return read.Caller;
    }

    /// <summary>
    /// Forgets a key on this instance, so that its next use is checked against the database, and ends its open
    /// streams here (<see cref="ApiKeyStreamGuard"/>): call after revoking or deleting it (other instances notice within
    /// <see cref="SecurityOptions.ApiKeyCacheTtl"/>).
    /// </summary>
    /// <param name="keyId">The key's id.</param>
    /// <param name="secretHash">The key's stored SHA-256 hash.</param>
    public void Invalidate(string keyId, byte[] secretHash)
    {
        Interlocked.Increment(ref _generation);
        _cache?.Remove(Convert.ToBase64String(secretHash));
        _streams?.EndStreams(keyId, "revoked or deleted on this instance");
    }

    private async Task<CachedKey?> ReadAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.SecretHash == hash, cancellationToken);
        if (key is null || key.RevokedAt is not null || !ApiKeySecrets.HashEquals(key.SecretHash, hash)) return null;

        var now = _time.GetUtcNow().UtcDateTime;
        var lastUsed = key.LastUsedAt;
        if (lastUsed is null || now - lastUsed.Value > LastUsedResolution)
        {
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
            lastUsed = now;
        }

        var agents = key.AgentIds.Length == 0 ? [] : key.AgentIds.Split(',');
        return new CachedKey(new Caller(key.Id, key.Scope, key.TenantId, agents), lastUsed.Value);
    }

    private async Task UpdateLastUsedAsync(string keyId, DateTime now, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        await db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
    }

    internal static bool TryParseBearer(string? header, out string secret)
    {
        secret = string.Empty;
        if (string.IsNullOrWhiteSpace(header)) return false;
        var value = header.Trim();
        if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        secret = value[7..].Trim();
        return secret.StartsWith(ApiKeySecrets.SecretPrefix, StringComparison.Ordinal) && secret.Length <= 200;
    }

    public void Dispose() => _cache?.Dispose();

    /// <summary>A verified key and when this instance last wrote its <c>last_used_at</c>.</summary>
    private sealed class CachedKey(Caller caller, DateTime lastUsed)
    {
        private long _lastUsedTicks = lastUsed.Ticks;

        public Caller Caller { get; } = caller;

        /// <summary>True for exactly one caller once <c>last_used_at</c> is older than the resolution.</summary>
        public bool ClaimLastUsedUpdate(DateTime now)
        {
            var last = Interlocked.Read(ref _lastUsedTicks);
            return now.Ticks - last > LastUsedResolution.Ticks && Interlocked.CompareExchange(ref _lastUsedTicks, now.Ticks, last) == last;
        }
    }

    /// <summary>The cache's clock, so that expiry follows the injected <see cref="TimeProvider"/> (tests move it).</summary>
    private sealed class TimeProviderClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}
