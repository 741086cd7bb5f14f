using System.Diagnostics;
using System.Text;
using ClawScale.Kernel.Tests.Infrastructure;

namespace ClawScale.Kernel.Tests.Hosting;

/// <summary>What a kernel process that ran to its end printed, and its exit code.</summary>
internal sealed record KernelRunResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// The kernel as a program: <c>dotnet ClawScale.Kernel.dll</c> of the configuration the tests were built in, run to
/// its end in a given working directory, configured only through its arguments and <c>ClawScale__…</c> environment
/// variables (nothing inherited from the test process), in the Production environment.
/// </summary>
internal static class KernelCommand
{
    /// <summary>Runs the kernel with <paramref name="args"/> and <paramref name="settings"/> and waits (at most <paramref name="bound"/>) until it exits.</summary>
    /// <exception cref="TimeoutException">The kernel was still running after <paramref name="bound"/> (it is killed).</exception>
    public static async Task<KernelRunResult> RunToExitAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> settings, string workingDirectory, TimeSpan bound)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(KernelDll());
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("ClawScale__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings) psi.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet could not be started.");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"The kernel did not exit within {bound.TotalSeconds} s:\n{new KernelRunResult(-1, stdout.ToString(), stderr.ToString())}");
        }

        // WaitForExitAsync returns once the redirected streams have been read to their end.
        return new KernelRunResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The kernel built beside the tests: kernel/ClawScale.Kernel/bin/{configuration}/{tfm}/ClawScale.Kernel.dll.</summary>
    private static string KernelDll()
    {
        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var dll = Path.Combine(TestEnvironment.RepoRoot, "kernel", "ClawScale.Kernel", "bin", output.Parent!.Name, output.Name, "ClawScale.Kernel.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"The kernel is not built at {dll}; build the test project (it builds the kernel).", dll);
    }
}
