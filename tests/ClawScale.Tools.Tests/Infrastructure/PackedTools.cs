using System.Globalization;
using System.Reflection;
using System.Text;
using ClawScale.Cli;

namespace ClawScale.Tools.Tests.Infrastructure;

/// <summary>
/// The three packages, packed once per test run (<c>dotnet pack --no-build</c> of the builds this test project
/// references) into a temporary local feed, with a version unique to the run (<c>{ClawScaleVersion}-test.{stamp}</c>)
/// so that no package cached by an earlier run is picked up. <see cref="NuGetConfig"/> lists only that feed, with the
/// user's package folder as a read-only fallback and a temporary global packages folder: restores work offline and leave
/// the user's cache as it was. The admin CLI tool is installed into <see cref="ToolPath"/> and the templates into their
/// own template hive.
/// </summary>
public sealed class PackedTools : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(10);
    private readonly Lazy<Task> _ready;

    public PackedTools()
    {
        Root = Directory.CreateTempSubdirectory("clawscale-tools-").FullName;
        var informational = typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        BaseVersion = informational.Split('+')[0];
        Version = $"{BaseVersion}-test.{DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}{Random.Shared.Next(100, 999)}";
        _ready = new Lazy<Task>(PrepareAsync);
    }

    public string Root { get; }

    /// <summary>The repository's ClawScaleVersion (what the assemblies carry).</summary>
    public string BaseVersion { get; }

    /// <summary>The version the packages of this run carry.</summary>
    public string Version { get; }

    public string Feed => Path.Combine(Root, "feed");
    public string NuGetConfig => Path.Combine(Root, "nuget.config");
    public string ToolPath => Path.Combine(Root, "tools");
    public string TemplateHive => Path.Combine(Root, "hive");
    public string Tool => Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "clawscale.exe" : "clawscale");

    /// <summary>Packs (once), installs the tool and the templates.</summary>
    public Task EnsureReadyAsync() => _ready.Value;

    /// <summary>Runs <c>dotnet</c> in <paramref name="workingDirectory"/>, failing with its output when it exits non-zero.</summary>
    public static async Task<ProcessResult> DotnetAsync(string workingDirectory, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(ProcessRunner.Dotnet, arguments, workingDirectory, Bound);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} exited {result.ExitCode}:\n{ProcessRunner.Tail(result.Stdout)}\n{ProcessRunner.Tail(result.Stderr)}");
        return result;
    }

    private async Task PrepareAsync()
    {
        Directory.CreateDirectory(Feed);
        var fallback = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(NuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(Root, "packages")}" /></config>
              <packageSources><clear /><add key="clawscale-test-feed" value="{Feed}" /></packageSources>
              <fallbackPackageFolders><clear /><add key="user" value="{fallback}" /></fallbackPackageFolders>
            </configuration>
            """);

        // One pack for the three projects: a solution filter-like .slnx of them.
        var projects = new[]
        {
            "clients/csharp/ClawScale.Cli/ClawScale.Cli.csproj",
            "kernel/ClawScale.Plugins.Abstractions/ClawScale.Plugins.Abstractions.csproj",
            "plugins/templates/ClawScale.Templates.csproj",
        };
        var slnx = new StringBuilder("<Solution>\n");
        foreach (var project in projects)
            slnx.Append(CultureInfo.InvariantCulture, $"  <Project Path=\"{Path.GetRelativePath(Root, Path.Combine(Repo.Root, project))}\" />\n");
        await File.WriteAllTextAsync(Path.Combine(Root, "pack.slnx"), slnx.Append("</Solution>\n").ToString());
        // ShouldUnsetParentConfigurationAndPlatform=false: project references outside the .slnx (the protos, the client
        // library) would otherwise be resolved in the Debug configuration, which --no-build may not have.
        await DotnetAsync(Root, "pack", "pack.slnx", "--no-build", "-c", Repo.Configuration, "-o", Feed, $"-p:PackageVersion={Version}", "-p:ShouldUnsetParentConfigurationAndPlatform=false", "-nodeReuse:false", "-clp:ErrorsOnly");

        await DotnetAsync(Root, "tool", "install", "ClawScale.Cli", "--version", Version, "--tool-path", ToolPath, "--configfile", NuGetConfig);
        await DotnetAsync(Root, "new", "install", Path.Combine(Feed, $"ClawScale.Templates.{Version}.nupkg"), "--debug:custom-hive", TemplateHive);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
