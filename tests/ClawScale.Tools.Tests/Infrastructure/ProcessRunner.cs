using System.Diagnostics;
using System.Text;

namespace ClawScale.Tools.Tests.Infrastructure;

/// <summary>The outcome of a child process.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public string Both => Stdout + Stderr;
}

/// <summary>Runs child processes (dotnet, the installed tool, python) with a bound and a clean environment.</summary>
public static class ProcessRunner
{
    public static string Dotnet { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>
    /// Runs <paramref name="fileName"/> and waits at most <paramref name="timeout"/> (then kills it and throws). The test
    /// host's MSBuild/VSTest variables and NUGET_PACKAGES are removed (nested builds and restores use the nuget.config
    /// they are given); <paramref name="environment"/> adds or removes (null) variables.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.Equals("NUGET_PACKAGES", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} took more than {timeout.TotalSeconds:0} s.\n{Tail(await stdout)}\n{Tail(await stderr)}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The last lines of a long output, for failure messages.</summary>
    public static string Tail(string text, int lines = 60)
    {
        var all = text.Split('\n');
        return all.Length <= lines ? text : new StringBuilder("…\n").AppendJoin('\n', all[^lines..]).ToString();
    }
}
