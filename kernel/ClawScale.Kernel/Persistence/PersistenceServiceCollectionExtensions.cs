using ClawScale.Kernel.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Persistence;

/// <summary>
/// Registers the kernel's database: PostgreSQL when a connection string is configured, SQLite otherwise. Contexts
/// are pooled (<c>AddDbContextPool</c>, options built once): a plain <c>AddDbContext</c> rebuilt the options (re-running
/// the configuration callback, which touches the data directory) and resolved EF Core's internal services for every
/// DI scope. A pooled context is reset when its scope ends, so a context must keep no state of its own beyond what EF
/// Core resets (it has none: <see cref="ClawScaleDbContext"/> takes only its options).
/// </summary>
internal static class PersistenceServiceCollectionExtensions
{
    public static IServiceCollection AddClawScalePersistence(this IServiceCollection services, IConfiguration configuration)
    {
        var options = SettingValues.Bind<ClawScaleOptions>(configuration.GetSection(ClawScaleOptions.SectionName));
        if (!string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            services.AddDbContextPool<ClawScaleDbContext, PostgresClawScaleDbContext>(
                o => Configure(o.UseNpgsql(PostgresConnectionString.WithDefaults(options.Database.ConnectionString))));
        }
        else
        {
            services.AddDbContextPool<ClawScaleDbContext, SqliteClawScaleDbContext>((sp, o) =>
                Configure(o.UseSqlite($"Data Source={sp.GetRequiredService<KernelPaths>().SqlitePath};Pooling=True;Default Timeout=30")));
        }

        services.AddHostedService<DatabaseInitializer>();
        services.AddHostedService<Hosting.DemoSeeder>();
        return services;
    }

    private static void Configure(DbContextOptionsBuilder builder) =>
        builder
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            // Migrations are SQL scripts without a model snapshot; MigrationScriptTests guard against drift instead.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}
