using Npgsql;

namespace ClawScale.Kernel.Tests.Infrastructure;

/// <summary>A fresh, empty database for one kernel under test: a SQLite file in a temp folder, or a new PostgreSQL database.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string provider, string? connectionString, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgresName = postgresName;
    }

    private readonly string? _postgresName;

    /// <summary>"sqlite" or "postgres".</summary>
    public string Provider { get; }

    /// <summary>The PostgreSQL connection string, or null for SQLite.</summary>
    public string? ConnectionString { get; }

    /// <summary>The same database without ownership (for a second kernel on it): disposing it drops nothing.</summary>
    public TestDatabase Borrow() => new(Provider, ConnectionString, null);

    public static TestDatabase Sqlite() => new("sqlite", null, null);

    public static async Task<TestDatabase> PostgresAsync()
    {
        var admin = TestEnvironment.PostgresConnectionString
            ?? throw new InvalidOperationException("CLAWSCALE_TEST_POSTGRES is not set; run the tests through bash .ci/run, which starts PostgreSQL.");
        var name = "clawscale_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase("postgres", builder.ConnectionString, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
