using System.Net;
using ClawScale.Kernel.Tests.Infrastructure;
using Grpc.Health.V1;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClawScale.Kernel.Tests.Hosting;

/// <summary>
/// Liveness and readiness of the real host: /livez answers 200 whatever the database does; /readyz (and its alias
/// /healthz) answers 200 while the database is reachable and migrated and 503 once it is not; gRPC health follows
/// readiness. The database is made unreachable for real: the SQLite file replaced by a directory, or the PostgreSQL
/// connection cut by a forwarder the kernel connects through.
/// </summary>
public sealed class HealthEndpointsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task On_sqlite_readyz_is_503_once_the_database_file_is_unreadable_while_livez_stays_200()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        await AssertStatusAsync(http, "/livez", HttpStatusCode.OK, "Healthy");
        await AssertStatusAsync(http, "/readyz", HttpStatusCode.OK, "Healthy");
        await AssertStatusAsync(http, "/healthz", HttpStatusCode.OK, "Healthy");
        var health = new Health.HealthClient(kernel.Channel);
        await Eventually.TrueAsync(async () => await ServingAsync(health) == HealthCheckResponse.Types.ServingStatus.Serving, "gRPC health SERVING", Bound);
        kernel.AssertNoUnexpectedErrors();

        // The database file (and its write-ahead log) moved away and a directory in its place: nothing can open it.
        var file = Path.Combine(kernel.DataDirectory, "clawscale.db");
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(file + suffix)) File.Move(file + suffix, file + suffix + ".moved");
        }

        Directory.CreateDirectory(file);
        SqliteConnection.ClearAllPools();

        await AssertStatusAsync(http, "/readyz", HttpStatusCode.ServiceUnavailable, "Unhealthy");
        await AssertStatusAsync(http, "/healthz", HttpStatusCode.ServiceUnavailable, "Unhealthy");
        await AssertStatusAsync(http, "/livez", HttpStatusCode.OK, "Healthy");
        // gRPC health answers from the report published every 10 s.
        await Eventually.TrueAsync(async () => await ServingAsync(health) == HealthCheckResponse.Types.ServingStatus.NotServing, "gRPC health NOT_SERVING", Bound);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await ServingAsync(health, "clawscale.v1.RuntimeService"));
    }

    [SkippableFact]
    public async Task On_postgres_readyz_is_503_while_the_database_is_unreachable_and_livez_stays_200()
    {
        Skip.If(TestEnvironment.PostgresConnectionString is null && !TestEnvironment.Require("POSTGRES"), "PostgreSQL not configured: set CLAWSCALE_TEST_POSTGRES.");
        var database = await TestDatabase.PostgresAsync();
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var forwarder = new TcpForwarder(direct.Host!, direct.Port);
        var proxied = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = forwarder.Port };
        await using var kernel = await KernelHost.StartAsync(database, new Dictionary<string, string?> { ["ClawScale:Database:ConnectionString"] = proxied.ConnectionString });
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        await AssertStatusAsync(http, "/readyz", HttpStatusCode.OK, "Healthy");
        await AssertStatusAsync(http, "/livez", HttpStatusCode.OK, "Healthy");
        kernel.AssertNoUnexpectedErrors();

        forwarder.Cut();

        await AssertStatusAsync(http, "/readyz", HttpStatusCode.ServiceUnavailable, "Unhealthy");
        await AssertStatusAsync(http, "/healthz", HttpStatusCode.ServiceUnavailable, "Unhealthy");
        await AssertStatusAsync(http, "/livez", HttpStatusCode.OK, "Healthy");
    }

    /// <summary>Waits (bounded) until <paramref name="path"/> answers <paramref name="status"/> with <paramref name="body"/>.</summary>
    private static async Task AssertStatusAsync(HttpClient http, string path, HttpStatusCode status, string body)
    {
        (HttpStatusCode Status, string Body) last = default;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                last = (response.StatusCode, await response.Content.ReadAsStringAsync());
                return last == (status, body);
            }, $"{path} to answer {(int)status} {body}", Bound);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{path} answered {(int)last.Status} {last.Body}, expected {(int)status} {body}.");
        }
    }

    private static async Task<HealthCheckResponse.Types.ServingStatus?> ServingAsync(Health.HealthClient health, string service = "")
    {
        try
        {
            return (await health.CheckAsync(new HealthCheckRequest { Service = service })).Status;
        }
        catch (global::Grpc.Core.RpcException ex) when (ex.StatusCode == global::Grpc.Core.StatusCode.NotFound)
        {
            return null; // no report published yet
        }
    }
}
