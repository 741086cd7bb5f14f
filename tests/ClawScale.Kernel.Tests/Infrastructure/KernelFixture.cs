using Microsoft.Data.Sqlite;

namespace ClawScale.Kernel.Tests.Infrastructure;

/// <summary>One kernel per test class, on the database the subclass names; tests reach it through <see cref="Host"/>.</summary>
public abstract class KernelFixture : IAsyncLifetime
{
    private KernelHost? _host;

    /// <summary>Why the kernel could not be started here (a missing prerequisite), or null.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>The kernel; skips the calling test when a prerequisite is missing.</summary>
    public KernelHost Host
    {
        get
        {
            Skip.If(SkipReason is not null, SkipReason);
            return _host!;
        }
    }

    protected abstract Task<TestDatabase?> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        var database = await CreateDatabaseAsync();
        if (database is null)
        {
            SkipReason = "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES (bash .ci/run does).";
            return;
        }

        _host = await KernelHost.StartAsync(database);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}

/// <summary>A kernel on an embedded SQLite file.</summary>
public sealed class SqliteKernelFixture : KernelFixture
{
    protected override Task<TestDatabase?> CreateDatabaseAsync() => Task.FromResult<TestDatabase?>(TestDatabase.Sqlite());
}

/// <summary>A kernel on a fresh PostgreSQL database (skipped when none is configured, failing in CI).</summary>
public sealed class PostgresKernelFixture : KernelFixture
{
    protected override async Task<TestDatabase?> CreateDatabaseAsync() =>
        TestEnvironment.PostgresConnectionString is null && !TestEnvironment.Require("POSTGRES") ? null : await TestDatabase.PostgresAsync();
}
