using ClawScale.Kernel.Hosting;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using ClawScale.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClawScale.Kernel.Tests.Security;

/// <summary>
/// The verified-key cache of <see cref="ApiKeyAuthenticator"/>, on a SQLite file and a clock that moves only when told:
/// a revocation elsewhere is noticed once the TTL has passed, an invalidation at once, and misses are never cached.
/// </summary>
public sealed class ApiKeyAuthenticatorTests : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("clawscale-auth-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddDbContext<ClawScaleDbContext, SqliteClawScaleDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(_directory, "auth.db")}"));
        _services = services.BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>().Database.EnsureCreatedAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_verified_key_is_served_from_memory_until_the_TTL_then_the_database_is_asked_again()
    {
        using var authenticator = Create(Ttl);
        var (id, secret) = await AddKeyAsync();
        Assert.Equal(id, (await authenticator.AuthenticateAsync("Bearer " + secret, default))?.KeyId);

        // Revoked by another kernel instance: this one still trusts its cached entry within the TTL …
        await RevokeInDatabaseAsync(id);
        _time.Advance(Ttl - TimeSpan.FromSeconds(1));
        Assert.NotNull(await authenticator.AuthenticateAsync("Bearer " + secret, default));

        // … and asks the database again once the entry has expired.
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await authenticator.AuthenticateAsync("Bearer " + secret, default));
    }

    [Fact]
    public async Task An_invalidated_key_is_rejected_at_once()
    {
        using var authenticator = Create(Ttl);
        var (id, secret) = await AddKeyAsync();
        Assert.NotNull(await authenticator.AuthenticateAsync("Bearer " + secret, default));

        await RevokeInDatabaseAsync(id);
        authenticator.Invalidate(id, ApiKeySecrets.Hash(secret));

        Assert.Null(await authenticator.AuthenticateAsync("Bearer " + secret, default));
    }

    [Fact]
    public async Task Unknown_keys_are_not_cached_so_a_key_created_after_a_miss_works()
    {
        using var authenticator = Create(Ttl);
        var secret = "csk_" + new string('m', 43);
        Assert.Null(await authenticator.AuthenticateAsync("Bearer " + secret, default));

        var (id, _) = await AddKeyAsync(secret);

        Assert.Equal(id, (await authenticator.AuthenticateAsync("Bearer " + secret, default))?.KeyId);
    }

    [Fact]
    public async Task A_zero_TTL_asks_the_database_on_every_call()
    {
        using var authenticator = Create(TimeSpan.Zero);
        var (id, secret) = await AddKeyAsync();
        Assert.NotNull(await authenticator.AuthenticateAsync("Bearer " + secret, default));

        await RevokeInDatabaseAsync(id);

        Assert.Null(await authenticator.AuthenticateAsync("Bearer " + secret, default));
    }

    [Fact]
    public async Task Last_used_is_written_at_most_once_a_minute_also_while_the_key_is_cached()
    {
        using var authenticator = Create(TimeSpan.FromMinutes(5));
        var (id, secret) = await AddKeyAsync();
        var start = _time.GetUtcNow().UtcDateTime;

        await authenticator.AuthenticateAsync("Bearer " + secret, default);
        Assert.Equal(start, await LastUsedAsync(id));

        _time.Advance(TimeSpan.FromSeconds(40));
        await authenticator.AuthenticateAsync("Bearer " + secret, default);
        Assert.Equal(start, await LastUsedAsync(id));

        _time.Advance(TimeSpan.FromSeconds(30));
        await authenticator.AuthenticateAsync("Bearer " + secret, default);
        Assert.Equal(start.AddSeconds(70), await LastUsedAsync(id));
    }

    [Fact]
    public async Task Malformed_headers_are_rejected_without_a_lookup()
    {
        using var authenticator = Create(Ttl);
        Assert.Null(await authenticator.AuthenticateAsync(null, default));
        Assert.Null(await authenticator.AuthenticateAsync("Basic abc", default));
        Assert.Null(await authenticator.AuthenticateAsync("Bearer not-a-key", default));
    }

    private ApiKeyAuthenticator Create(TimeSpan ttl) =>
        new(_services.GetRequiredService<IServiceScopeFactory>(), _time,
            Options.Create(new ClawScaleOptions { Security = new SecurityOptions { ApiKeyCacheTtl = ttl } }));

    private async Task<(string Id, string Secret)> AddKeyAsync(string? secret = null)
    {
        secret ??= "csk_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")[..11];
        var id = Guid.NewGuid().ToString();
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        db.ApiKeys.Add(new ApiKeyEntity
        {
            Id = id,
            Name = "test",
            Scope = ApiKeyScopeValue.PlatformAdmin,
            Prefix = ApiKeySecrets.DisplayPrefix(secret),
            SecretHash = ApiKeySecrets.Hash(secret),
            CreatedAt = _time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync();
        return (id, secret);
    }

    private async Task RevokeInDatabaseAsync(string id)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        var now = _time.GetUtcNow().UtcDateTime;
        await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now));
    }

    private async Task<DateTime?> LastUsedAsync(string id)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        return (await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == id)).LastUsedAt;
    }
}
