using ClawScale.Kernel.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Persistence;

/// <summary>
/// Registers the kernel's database: PostgreSQL when a connection string is configured, SQLite otherwise. The
/// <c>DbContextOptions</c> are built once (singleton): with the default scoped lifetime EF Core rebuilt them, and
/// re-ran the configuration callback (which touches the data directory), for every request scope.
/// </summary>
internal static class PersistenceServiceCollectionExtensions
{
    public static IServiceCollection AddClawScalePersistence(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ClawScaleOptions.SectionName).Get<ClawScaleOptions>() ?? new ClawScaleOptions();
        if (!string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            services.AddDbContext<ClawScaleDbContext, PostgresClawScaleDbContext>(
                o => Configure(o.UseNpgsql(options.Database.ConnectionString)), optionsLifetime: ServiceLifetime.Singleton);
        }
        else
        {
            services.AddDbContext<ClawScaleDbContext, SqliteClawScaleDbContext>((sp, o) =>
                Configure(o.UseSqlite($"Data Source={sp.GetRequiredService<KernelPaths>().SqlitePath};Pooling=True;Default Timeout=30")),
                optionsLifetime: ServiceLifetime.Singleton);
        }

        services.AddHostedService<DatabaseInitializer>();
        services.AddHostedService<Hosting.DemoSeeder>();
        services.AddHealthChecks().AddDbContextCheck<ClawScaleDbContext>("database");
        return services;
    }

    private static void Configure(DbContextOptionsBuilder builder) =>
        builder
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            // Migrations are SQL scripts without a model snapshot; MigrationScriptTests guard against drift instead.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}
