using ClawScale.Kernel.Hosting;
using ClawScale.Kernel.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Persistence;

/// <summary>
/// Runs before the kernel accepts traffic: applies migrations (unless <c>ClawScale:Database:MigrateOnStart</c> is
/// false), turns on SQLite's write-ahead log, and makes sure a platform-admin API key exists.
/// </summary>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes,
    IOptions<ClawScaleOptions> options,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        if (db.Provider == DatabaseProvider.Sqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);

        if (options.Value.Database.MigrateOnStart)
        {
            // Npgsql probes a missing history table with a failing (and error-logged) query; creating it first with
            // CREATE TABLE IF NOT EXISTS keeps a first start free of error logs.
            var history = db.GetService<IHistoryRepository>();
            await history.CreateIfNotExistsAsync(cancellationToken);
            var applied = (await history.GetAppliedMigrationsAsync(cancellationToken)).Select(m => m.MigrationId).ToHashSet();
            var pending = db.Database.GetMigrations().Where(m => !applied.Contains(m)).ToList();
            if (pending.Count > 0)
            {
                LogMigrating(logger, db.Provider, pending);
                await db.Database.MigrateAsync(cancellationToken);
            }
        }

        await scope.ServiceProvider.GetRequiredService<AdminKeyBootstrapper>().EnsureAdminKeyAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applying {Provider} migrations: {Migrations}")]
    private static partial void LogMigrating(ILogger logger, DatabaseProvider provider, IReadOnlyList<string> migrations);
}
