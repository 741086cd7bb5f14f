using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;

namespace ClawScale.Kernel.Tests.Faults;

/// <summary>
/// The kernel as a separate OS process (<c>dotnet ClawScale.Kernel.dll</c> of the configuration the tests were built
/// in), configured only through <c>ClawScale__…</c> environment variables, on free ports of 127.0.0.1, logging JSON
/// lines to stdout (captured in <see cref="Logs"/>). It can be killed with SIGKILL (<see cref="Kill"/>), which an
/// in-process host cannot simulate.
/// </summary>
internal sealed class KernelProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(45);
    private readonly Process _process;
    private readonly ConcurrentQueue<KernelLogEntry> _logs = new();

    private KernelProcess(Process process, string name, int httpPort, int grpcPort, string adminKey)
    {
        _process = process;
        Name = name;
        HttpAddress = new Uri($"http://127.0.0.1:{httpPort}/");
        Channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{grpcPort}/"));
        Admin = new AdminService.AdminServiceClient(Channel);
        AdminAuth = KernelHost.Auth(adminKey);
    }

    /// <summary>A name for messages ("A", "B", …).</summary>
    public string Name { get; }

    /// <summary>The HTTP/1.1 address (webhooks, health).</summary>
    public Uri HttpAddress { get; }

    public GrpcChannel Channel { get; }

    public AdminService.AdminServiceClient Admin { get; }

    /// <summary>The platform-admin key (ClawScale:Bootstrap:AdminApiKey) as call metadata.</summary>
    public Metadata AdminAuth { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process logged so far (JSON console lines, parsed; other stdout/stderr lines as level <c>Raw</c>).</summary>
    public IReadOnlyList<KernelLogEntry> Logs => _logs.ToArray();

    /// <summary>The webhook URL of <paramref name="channelId"/> on this kernel.</summary>
    public Uri Webhook(string channelId) => new(HttpAddress, "/webhooks/" + channelId);

    /// <summary>
    /// Starts a kernel with <paramref name="settings"/> (configuration keys such as <c>ClawScale:Pipeline:PollInterval</c>,
    /// passed as environment variables) on top of the test defaults, and waits until <c>/healthz</c> answers 200.
    /// </summary>
    /// <param name="name">A name for messages.</param>
    /// <param name="connectionString">The PostgreSQL database.</param>
    /// <param name="dataDirectory">The data directory (Data Protection keys, plugins folder); reuse it for a restart.</param>
    /// <param name="adminKey">The platform-admin key secret to ensure exists.</param>
    /// <param name="settings">Further configuration; wins over the defaults.</param>
    public static async Task<KernelProcess> StartAsync(string name, string connectionString, string dataDirectory, string adminKey, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = KernelDll();
        int httpPort = FreePort(), grpcPort = FreePort();
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        psi.ArgumentList.Add(dll);
        // Nothing inherited from the test process may configure the kernel.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("ClawScale__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);
        var config = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ClawScale:ListenAddress"] = "127.0.0.1",
            ["ClawScale:HttpPort"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ClawScale:GrpcPort"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ClawScale:DataDirectory"] = dataDirectory,
            ["ClawScale:Database:ConnectionString"] = connectionString,
            ["ClawScale:Bootstrap:AdminApiKey"] = adminKey,
            ["ClawScale:PluginsManifest"] = Path.Combine(TestEnvironment.RepoRoot, "plugins.json"),
            ["ClawScale:WatchPlugins"] = "false",
            ["ClawScale:PublicBaseUrl"] = "https://gateway.example.test",
            // The fake platforms run on 127.0.0.1.
            ["ClawScale:Security:AllowPrivateNetworkTargets"] = "true",
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft"] = "Warning",
        };
        if (settings is not null)
        {
            foreach (var (key, value) in settings) config[key] = value;
        }

        foreach (var (key, value) in config) psi.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet could not be started.");
        var kernel = new KernelProcess(process, name, httpPort, grpcPort, adminKey);
        process.OutputDataReceived += (_, e) => kernel.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => kernel.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await kernel.WaitHealthyAsync();
        }
        catch
        {
            await kernel.DisposeAsync();
            throw;
        }

        return kernel;
    }

    /// <summary>SIGKILL: the process ends at once, without any shutdown code; returns once it has exited.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false); // SIGKILL on Unix
        _process.WaitForExit();
    }

    /// <summary>Answer of GET /healthz, or null when the kernel does not answer.</summary>
    public async Task<HttpStatusCode?> HealthAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(HttpAddress, "/healthz"));
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Error and critical log entries, except those <paramref name="expected"/> accepts.</summary>
    public IReadOnlyList<KernelLogEntry> Errors(Func<KernelLogEntry, bool>? expected = null) =>
        Logs.Where(e => e.Level is "Error" or "Critical" or "Raw" && !(expected?.Invoke(e) ?? false)).ToList();

    /// <summary>Fails when the process logged an error the test did not expect.</summary>
    public void AssertNoUnexpectedErrors(Func<KernelLogEntry, bool>? expected = null)
    {
        var errors = Errors(expected);
        Assert.True(errors.Count == 0, $"Kernel {Name} logged errors:\n" + string.Join("\n", errors.Take(20)));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    /// <summary>The kernel built beside the tests: kernel/ClawScale.Kernel/bin/{configuration}/{tfm}/ClawScale.Kernel.dll.</summary>
    private static string KernelDll()
    {
        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var tfm = output.Name;
        var configuration = output.Parent!.Name;
        var dll = Path.Combine(TestEnvironment.RepoRoot, "kernel", "ClawScale.Kernel", "bin", configuration, tfm, "ClawScale.Kernel.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"The kernel is not built at {dll}; build the test project (it builds the kernel).", dll);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitHealthyAsync()
    {
        var deadline = DateTime.UtcNow + StartBound;
        while (await HealthAsync() != HttpStatusCode.OK)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Kernel {Name} exited with {_process.ExitCode} during start:\n" + string.Join("\n", Logs.TakeLast(30)));
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Kernel {Name} was not healthy within {StartBound.TotalSeconds} s:\n" + string.Join("\n", Logs.TakeLast(30)));
            await Task.Delay(100);
        }
    }

    private void Capture(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        _logs.Enqueue(KernelLogEntry.Parse(line));
    }
}
