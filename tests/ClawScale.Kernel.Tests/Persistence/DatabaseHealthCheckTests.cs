using ClawScale.Kernel.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClawScale.Kernel.Tests.Persistence;

public sealed class DatabaseHealthCheckTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clawscale-dbhealth-").FullName;

    [Fact]
    public async Task A_database_with_migrations_not_applied_is_unhealthy_and_names_them_then_healthy_once_migrated()
    {
        await using var db = Sqlite(Path.Combine(_folder, "health.db"));
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE t (x INTEGER)"); // the file exists, nothing is migrated

        var pending = await CheckAsync(db);
        Assert.Equal(HealthStatus.Unhealthy, pending.Status);
        Assert.Contains("Initial", pending.Description, StringComparison.Ordinal);
        Assert.Contains("MigrateOnStart", pending.Description, StringComparison.Ordinal);

        await db.Database.MigrateAsync();
        var ready = await CheckAsync(db);
        Assert.Equal(HealthStatus.Healthy, ready.Status);
        Assert.Contains($"{db.Database.GetMigrations().Count()} migrations applied", ready.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_cannot_be_opened_is_unhealthy()
    {
        var path = Path.Combine(_folder, "a-directory.db");
        Directory.CreateDirectory(path);
        await using var db = Sqlite(path);

        var result = await CheckAsync(db);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("cannot be reached", result.Description, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static SqliteClawScaleDbContext Sqlite(string path) =>
        new(new DbContextOptionsBuilder<SqliteClawScaleDbContext>().UseSqlite($"Data Source={path}").Options);

    private static Task<HealthCheckResult> CheckAsync(ClawScaleDbContext db) =>
        new DatabaseHealthCheck(db).CheckHealthAsync(new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("database", _ => null!, HealthStatus.Unhealthy, ["ready"]),
        });
}
