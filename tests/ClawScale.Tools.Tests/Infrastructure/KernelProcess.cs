using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ClawScale.Client;
using Grpc.Core;
using Grpc.Health.V1;

namespace ClawScale.Tools.Tests.Infrastructure;

/// <summary>
/// The kernel as an operator runs it: <c>dotnet ClawScale.Kernel.dll</c> in its own process (the build of this test
/// run's configuration), SQLite in a temporary data directory, free loopback ports, and a plugins.json that loads the
/// echo, telegram and webhook plugins from artifacts/plugins/. Deliveries give up after one failed attempt
/// (<c>DeliveryMaxAttempts=1</c>), so a test makes a dead letter at once. Ready when its first platform-admin key is
/// written and gRPC health answers SERVING.
/// </summary>
public sealed class KernelProcess : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("clawscale-tools-kernel-").FullName;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    /// <summary>The kernel's h2c gRPC address.</summary>
    public Uri GrpcAddress { get; private set; } = null!;

    /// <summary>The platform-admin key the kernel wrote at first start.</summary>
    public string AdminKey { get; private set; } = null!;

    /// <summary>The kernel's recent log lines, for failure messages.</summary>
    public string RecentOutput => string.Join('\n', _output.TakeLast(80));

    public async Task InitializeAsync()
    {
        var kernelDll = Path.Combine(Repo.Root, "kernel", "ClawScale.Kernel", "bin", Repo.Configuration, "net10.0", "ClawScale.Kernel.dll");
        if (!File.Exists(kernelDll)) throw new InvalidOperationException($"{kernelDll} is missing: build the kernel ({Repo.Configuration}) first.");
        var manifest = Path.Combine(_dataDirectory, "plugins.json");
        var plugins = string.Join(",\n", new[] { ("echo", "Echo"), ("telegram", "Telegram"), ("webhook", "Webhook") }.Select(p =>
            $"    {{ \"name\": \"{p.Item1}\", \"path\": \"{Path.Combine(Repo.Root, "artifacts", "plugins", "ClawScale.Plugins." + p.Item2)}\" }}"));
        await File.WriteAllTextAsync(manifest, "{ \"plugins\": [\n" + plugins + "\n] }\n");

        int httpPort = FreePort(), grpcPort = FreePort();
        var start = new ProcessStartInfo(ProcessRunner.Dotnet)
        {
            WorkingDirectory = _dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            kernelDll, $"--ClawScale:DataDirectory={_dataDirectory}", $"--ClawScale:HttpPort={httpPort}", $"--ClawScale:GrpcPort={grpcPort}",
            $"--ClawScale:PluginsManifest={manifest}", "--ClawScale:WatchPlugins=false",
            "--ClawScale:Pipeline:DeliveryMaxAttempts=1", "--ClawScale:Pipeline:PollInterval=00:00:00.100",
        })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");

        var keyFile = Path.Combine(_dataDirectory, "admin-api-key");
        using var client = new ClawScaleClient(new ClawScaleClientOptions { Address = GrpcAddress, MaxAttempts = 1, DefaultDeadline = TimeSpan.FromSeconds(5) });
        var health = new Health.HealthClient(client.CallInvoker);
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The kernel exited with {_process.ExitCode} before it was ready:\n{RecentOutput}");
            if (File.Exists(keyFile))
            {
                try
                {
                    if ((await health.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving) break;
                }
                catch (RpcException)
                {
                    // Not listening yet.
                }
            }

            if (DateTime.UtcNow > until) throw new TimeoutException($"The kernel was not ready within 90 s:\n{RecentOutput}");
            await Task.Delay(100);
        }

        AdminKey = (await File.ReadAllTextAsync(keyFile)).Trim();
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 400) _output.TryDequeue(out _);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
