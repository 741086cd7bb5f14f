using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Tests.Persistence;

/// <summary>
/// Migrations are SQL scripts (EF Core's design-time package is not available here). These tests keep them honest:
/// schema.sql must equal the create script EF generates from the model, so a model change without a migration fails.
/// Set CLAWSCALE_WRITE_SCHEMA=1 to (re)write schema.sql, and 0001_initial.sql while it does not exist yet.
/// </summary>
public sealed class MigrationScriptTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public void Schema_script_matches_the_model(string provider)
    {
        using var db = Create(provider);
        var generated = Normalize(db.Database.GenerateCreateScript());
        var folder = Path.Combine(TestEnvironment.RepoRoot, "kernel", "ClawScale.Kernel", "Persistence", "Migrations", provider);
        var schema = Path.Combine(folder, "schema.sql");
        var initial = Path.Combine(folder, "0001_initial.sql");
        if (Environment.GetEnvironmentVariable("CLAWSCALE_WRITE_SCHEMA") == "1")
        {
            File.WriteAllText(schema, generated);
            if (!File.Exists(initial)) File.WriteAllText(initial, generated);
        }

        Assert.True(File.Exists(schema), $"{schema} is missing; run the tests with CLAWSCALE_WRITE_SCHEMA=1 once.");
        Assert.True(Normalize(File.ReadAllText(schema)) == generated,
            $"The {provider} model changed but {schema} did not. Run with CLAWSCALE_WRITE_SCHEMA=1 and add a migration (see ClawScaleDbContext remarks).");
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public void The_migrations_build_the_current_schema(string provider)
    {
        using var db = Create(provider);
        var migrations = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(migrations);
        var folder = Path.Combine(TestEnvironment.RepoRoot, "kernel", "ClawScale.Kernel", "Persistence", "Migrations", provider);
        if (migrations.Count == 1)
        {
            // With one migration, it must be the whole schema; later migrations are checked by the functional tests.
            Assert.Equal(Normalize(File.ReadAllText(Path.Combine(folder, "schema.sql"))), Normalize(File.ReadAllText(Path.Combine(folder, "0001_initial.sql"))));
        }
    }

    private static ClawScaleDbContext Create(string provider) => provider switch
    {
        "Sqlite" => new SqliteClawScaleDbContext(new DbContextOptionsBuilder<SqliteClawScaleDbContext>().UseSqlite("Data Source=:memory:").Options),
        _ => new PostgresClawScaleDbContext(new DbContextOptionsBuilder<PostgresClawScaleDbContext>().UseNpgsql("Host=localhost;Database=unused").Options),
    };

    private static string Normalize(string sql) => sql.Replace("\r\n", "\n").Trim() + "\n";
}
