using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ClawScale.Kernel.Tests.Persistence;

/// <summary>
/// Migrations are SQL scripts (EF Core's design-time package is not available here). These tests keep them honest
/// without a second copy of the schema: one empty database is built by the migrations, another by EF from the current
/// model (<c>EnsureCreated</c>), and their actual schemas (tables, columns, types, nullability, keys, indexes) must be
/// equal — so a model change without a migration fails. With CLAWSCALE_WRITE_SCHEMA=1, a missing 0001_initial.sql is
/// written from the model (see ClawScaleDbContext remarks for adding later migrations).
/// </summary>
public sealed class MigrationScriptTests
{
    [Fact]
    public void On_sqlite_the_migrations_build_exactly_the_models_schema()
    {
        WriteInitialIfAsked("Sqlite", Sqlite(new SqliteConnection("Data Source=:memory:")));
        using var migrated = new SqliteConnection("Data Source=:memory:");
        using var modelled = new SqliteConnection("Data Source=:memory:");
        migrated.Open();
        modelled.Open();
        using (var db = Sqlite(migrated)) db.Database.Migrate();
        using (var db = Sqlite(modelled)) db.Database.EnsureCreated();
        Assert.Equal(DescribeSqlite(modelled), DescribeSqlite(migrated));
    }

    [SkippableFact]
    public async Task On_postgres_the_migrations_build_exactly_the_models_schema()
    {
        Skip.If(TestEnvironment.PostgresConnectionString is null && !TestEnvironment.Require("POSTGRES"), "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES.");
        WriteInitialIfAsked("Postgres", Postgres("Host=localhost;Database=unused"));
        await using var migrated = await TestDatabase.PostgresAsync();
        await using var modelled = await TestDatabase.PostgresAsync();
        await using (var db = Postgres(migrated.ConnectionString!)) await db.Database.MigrateAsync();
        await using (var db = Postgres(modelled.ConnectionString!)) await db.Database.EnsureCreatedAsync();
        Assert.Equal(await DescribePostgresAsync(modelled.ConnectionString!), await DescribePostgresAsync(migrated.ConnectionString!));
    }

    private static SqliteClawScaleDbContext Sqlite(SqliteConnection connection) =>
        new(new DbContextOptionsBuilder<SqliteClawScaleDbContext>().UseSqlite(connection).Options);

    private static PostgresClawScaleDbContext Postgres(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgresClawScaleDbContext>().UseNpgsql(connectionString).Options);

    private static void WriteInitialIfAsked(string provider, ClawScaleDbContext db)
    {
        using (db)
        {
            var initial = Path.Combine(TestEnvironment.RepoRoot, "kernel", "ClawScale.Kernel", "Persistence", "Migrations", provider, "0001_initial.sql");
            if (Environment.GetEnvironmentVariable("CLAWSCALE_WRITE_SCHEMA") == "1" && !File.Exists(initial))
                File.WriteAllText(initial, db.Database.GenerateCreateScript().Replace("\r\n", "\n").Trim() + "\n");
        }
    }

    /// <summary>Every table's columns (name, type, not null, default, key position) and every index, sorted.</summary>
    private static List<string> DescribeSqlite(SqliteConnection connection)
    {
        var rows = new List<string>();
        var tables = Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EF%'");
        foreach (var table in tables)
        {
            foreach (var column in Query(connection, $"SELECT name || ' ' || type || ' nn=' || \"notnull\" || ' d=' || IFNULL(dflt_value, '') || ' pk=' || pk FROM pragma_table_info('{table}')"))
                rows.Add($"{table}.{column}");
            foreach (var fk in Query(connection, $"SELECT \"from\" || '->' || \"table\" || '.' || \"to\" || ' ' || on_delete FROM pragma_foreign_key_list('{table}')"))
                rows.Add($"{table} fk {fk}");
        }

        rows.AddRange(Query(connection, "SELECT 'index ' || name || ': ' || IFNULL(sql, '') FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'"));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static List<string> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read()) result.Add(reader.GetString(0));
        return result;
    }

    private static async Task<List<string>> DescribePostgresAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        const string sql = """
            SELECT table_name || '.' || column_name || ' ' || data_type || '(' || COALESCE(character_maximum_length::text, '') || ') null=' || is_nullable || ' d=' || COALESCE(column_default, '')
              FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '__EF%'
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE '__EF%'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
              FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT LIKE '%EF%'
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
