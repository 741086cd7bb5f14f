using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ClawScale.Client.UserApp.Tests;

/// <summary>
/// The kernel as a user runs it: <c>dotnet ClawScale.Kernel.dll</c> in its own process, SQLite in a temporary data
/// directory, loopback ports chosen free; ready when its first platform-admin key is written and health answers.
/// </summary>
public sealed class KernelProcess : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("clawscale-userapp-").FullName;
    private Process? _process;

    /// <summary>The kernel's h2c gRPC address.</summary>
    public Uri GrpcAddress { get; private set; } = null!;

    /// <summary>The platform-admin key the kernel wrote at first start.</summary>
    public string AdminKey { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var repo = FindRepoRoot();
        var kernelDll = Path.Combine(repo, "kernel", "ClawScale.Kernel", "bin", "Release", "net10.0", "ClawScale.Kernel.dll");
        if (!File.Exists(kernelDll)) kernelDll = Path.Combine(repo, "kernel", "ClawScale.Kernel", "bin", "Debug", "net10.0", "ClawScale.Kernel.dll");
        int httpPort = FreePort(), grpcPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repo,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { kernelDll, $"--ClawScale:DataDirectory={_dataDirectory}", $"--ClawScale:HttpPort={httpPort}", $"--ClawScale:GrpcPort={grpcPort}", "--ClawScale:WatchPlugins=false" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");

        var keyFile = Path.Combine(_dataDirectory, "admin-api-key");
        using var http = new HttpClient();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The kernel exited with {_process.ExitCode} before it was ready.");
            if (File.Exists(keyFile))
            {
                try
                {
                    if ((await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/healthz"))).StatusCode == HttpStatusCode.OK) break;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
            }

            if (DateTime.UtcNow > until) throw new TimeoutException("The kernel was not ready within 60 s.");
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClawScale.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("ClawScale.sln not found above " + AppContext.BaseDirectory);
    }
}
