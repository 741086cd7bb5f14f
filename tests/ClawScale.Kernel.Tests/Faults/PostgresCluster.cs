using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ClawScale.Kernel.Tests.Faults;

/// <summary>
/// A throwaway PostgreSQL cluster of the test's own (initdb in a temp folder, a free port on 127.0.0.1, trust auth,
/// fsync off) that the test may stop and start. As root the server binaries run as the <c>postgres</c> user through
/// <c>su</c>, as .ci/run and tests/ClawScale.Bench/run.sh do, because initdb refuses root.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly int _port;

    private PostgresCluster(string bin, string root, int port)
    {
        _bin = bin;
        _root = root;
        _port = port;
    }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>The newest /usr/lib/postgresql/*/bin holding initdb, or null.</summary>
    public static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .LastOrDefault()
            : null;

    /// <summary>Creates and starts a cluster.</summary>
    public static async Task<PostgresCluster> CreateAsync()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: apt-get install postgresql.");
        var root = Directory.CreateTempSubdirectory("clawscale-faults-pg-").FullName;
        var cluster = new PostgresCluster(bin, root, FreePort());
        try
        {
            if (Environment.UserName == "root") await RunAsync("chown", ["postgres:postgres", root]);
            await cluster.AsPostgresAsync($"{Path.Combine(bin, "initdb")} -D '{cluster.DataDirectory}' --auth=trust --username=postgres -E UTF8 >/dev/null");
            await cluster.StartAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> on this cluster.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = _port, Username = "postgres", Database = database }.ConnectionString;

    /// <summary>Creates a database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Starts the server and waits until it accepts connections (pg_ctl -w).</summary>
    public Task StartAsync() =>
        AsPostgresAsync($"{Path.Combine(_bin, "pg_ctl")} -D '{DataDirectory}' -l '{Path.Combine(_root, "log")}' -w -t 30 " +
                        $"-o \"-p {_port} -k '{_root}' -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off\" start >/dev/null");

    /// <summary>Stops the server in "fast" mode (open sessions are terminated, as in a restart by an operator) and waits for it.</summary>
    public Task StopAsync() => AsPostgresAsync($"{Path.Combine(_bin, "pg_ctl")} -D '{DataDirectory}' -m fast -w -t 30 stop >/dev/null");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsPostgresAsync($"{Path.Combine(_bin, "pg_ctl")} -D '{DataDirectory}' -m immediate -w stop >/dev/null 2>&1 || true");
        }
        finally
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp folder.
            }
        }
    }

    private Task AsPostgresAsync(string shell) =>
        Environment.UserName == "root"
            ? RunAsync("su", ["postgres", "-s", "/bin/sh", "-c", shell])
            : RunAsync("/bin/sh", ["-c", shell]);

    private static async Task RunAsync(string file, IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException(file + " could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', psi.ArgumentList)} exited with {process.ExitCode}: {await stderr}{await stdout}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
