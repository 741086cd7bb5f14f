using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClawScale.Kernel.Persistence;

/// <summary>
/// Readiness of the database: Unhealthy when it cannot be reached (connection refused or broken, SQLite file missing or
/// unreadable) or when a migration of this kernel version is not applied (<c>ClawScale:Database:MigrateOnStart</c> is off
/// and nobody migrated it); Healthy otherwise. One connection, the migration history read once per check.
/// </summary>
internal sealed class DatabaseHealthCheck(ClawScaleDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!await db.Database.CanConnectAsync(cancellationToken))
                return new HealthCheckResult(context.Registration.FailureStatus, $"The {db.Provider} database cannot be reached.");

            var history = db.GetService<IHistoryRepository>();
            var applied = await history.ExistsAsync(cancellationToken)
                ? (await history.GetAppliedMigrationsAsync(cancellationToken)).Select(m => m.MigrationId).ToHashSet(StringComparer.Ordinal)
                : [];
            var pending = db.Database.GetMigrations().Where(m => !applied.Contains(m)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy($"{db.Provider} reachable, {applied.Count} migrations applied.")
                : new HealthCheckResult(context.Registration.FailureStatus,
                    $"{pending.Count} migrations are not applied ({string.Join(", ", pending)}): start a kernel with ClawScale:Database:MigrateOnStart=true to apply them.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The {db.Provider} database cannot be reached ({ex.GetType().Name}).", ex);
        }
    }
}
