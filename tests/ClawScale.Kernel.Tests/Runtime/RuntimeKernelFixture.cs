using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Kernel.Tests.Pipeline;

namespace ClawScale.Kernel.Tests.Runtime;

/// <summary>The Telegram pipeline fixture's settings plus a 1 s runtime heartbeat, so silence is detected in 3 s.</summary>
public abstract class RuntimeKernelFixture : IAsyncLifetime
{
    private KernelHost? _host;

    internal static readonly Dictionary<string, string?> Settings = new(TelegramKernelFixture.Settings)
    {
        ["ClawScale:Pipeline:RuntimeHeartbeatInterval"] = "00:00:01",
    };

    public string? SkipReason { get; private set; }

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

        _host = await KernelHost.StartAsync(database, Settings);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}

public sealed class SqliteRuntimeKernelFixture : RuntimeKernelFixture
{
    protected override Task<TestDatabase?> CreateDatabaseAsync() => Task.FromResult<TestDatabase?>(TestDatabase.Sqlite());
}

public sealed class PostgresRuntimeKernelFixture : RuntimeKernelFixture
{
    protected override async Task<TestDatabase?> CreateDatabaseAsync() =>
        TestEnvironment.PostgresConnectionString is null && !TestEnvironment.Require("POSTGRES") ? null : await TestDatabase.PostgresAsync();
}
