using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using ClawScale.Plugins.Channels;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Hosting.Tests.Infrastructure;

/// <summary>
/// Builds the real plugin projects of TestPlugins/ once per test run: a copy of the sources goes to a temp folder
/// keyed by a hash of the sources and of the host's SDK, so an unchanged set is reused across runs, and one
/// <c>dotnet build</c> of a generated .slnx builds them all (in parallel). Outputs: <see cref="Output"/>/&lt;Project&gt;/.
/// GoodPluginV2 is GoodPlugin built with VARIANT2 (same assembly name). OlderDepPlugin is PrivateDepPlugin built
/// against VersionedDepV05, a copy of VersionedDep versioned 0.5.0.0 (older than the host's 1.0.0.0).
/// MissingDepPlugin's helper DLL is deleted.
/// </summary>
public sealed class TestPluginBuild
{
    private static readonly string[] PluginProjects = ["GoodPlugin", "GoodPluginV2", "ThrowingPlugin", "MissingDepPlugin", "PrivateDepPlugin", "OlderDepPlugin", "DuplicateKindPlugin", "NativeDepPlugin", "ShipsAbstractionsPlugin"];

    public TestPluginBuild()
    {
        var sources = typeof(TestPluginBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "TestPluginsSource").Value!;
        var sdkPath = typeof(IChannelAdapter).Assembly.Location;
        var loggingPath = typeof(ILogger).Assembly.Location;
        var key = Hash(sources, sdkPath);
        var root = Path.Combine(Path.GetTempPath(), "clawscale-testplugins", key);
        Output = Path.Combine(root, "out");
        if (File.Exists(Path.Combine(root, "built.ok")))
        {
            return;
        }

        // Builds of older sources are useless: remove them (best effort) along with a half-built folder of this key.
        foreach (var stale in Directory.Exists(Path.GetDirectoryName(root)) ? Directory.GetDirectories(Path.GetDirectoryName(root)!) : [])
        {
            try
            {
                Directory.Delete(stale, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        var src = Path.Combine(root, "src");
        CopySources(sources, src);
        CopySources(Path.Combine(sources, "GoodPlugin"), Path.Combine(src, "GoodPluginV2"));
        File.Move(Path.Combine(src, "GoodPluginV2", "GoodPlugin.csproj"), Path.Combine(src, "GoodPluginV2", "GoodPluginV2.csproj"));
        File.WriteAllText(Path.Combine(src, "GoodPluginV2", "variant.props"),
            "<Project><PropertyGroup><DefineConstants>$(DefineConstants);VARIANT2</DefineConstants></PropertyGroup></Project>");
        CopyVariant(src, "PrivateDepPlugin", "OlderDepPlugin",
            "<Project><PropertyGroup><VersionedDepProject>VersionedDepV05</VersionedDepProject></PropertyGroup></Project>");
        CopyVariant(src, "VersionedDep", "VersionedDepV05",
            "<Project><PropertyGroup><AssemblyName>VersionedDep</AssemblyName><AssemblyVersion>0.5.0.0</AssemblyVersion><FileVersion>0.5.0.0</FileVersion></PropertyGroup></Project>");
        var slnx = new StringBuilder("<Solution>\n");
        foreach (var project in PluginProjects)
        {
            slnx.Append($"  <Project Path=\"{project}/{project}.csproj\" />\n");
        }

        File.WriteAllText(Path.Combine(src, "testplugins.slnx"), slnx.Append("</Solution>\n").ToString());

        Run(src, "build", "testplugins.slnx", "-nodeReuse:false", "-clp:ErrorsOnly",
            $"-p:ClawScaleSdkPath={sdkPath}", $"-p:ClawScaleLoggingPath={loggingPath}",
            $"-p:TestPluginsOut={Output}", "-p:VersionedDepVersion=2.0.0.0");

        File.Delete(Path.Combine(Output, "MissingDepPlugin", "MissingDepHelper.dll"));
        File.WriteAllText(Path.Combine(root, "built.ok"), DateTimeOffset.UtcNow.ToString("O"));
    }

    /// <summary>The folder holding one output folder per test plugin project.</summary>
    public string Output { get; }

    /// <summary>The output folder of a test plugin project.</summary>
    public string PluginFolder(string project) => Path.Combine(Output, project);

    private static void Run(string workingDirectory, params string[] arguments)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under MSBuild/VSTest variables that would confuse a nested build.
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Building the test plugins took more than 5 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Building the test plugins failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        }
    }

    /// <summary>Copies the project folder <paramref name="project"/> to <paramref name="variant"/> (csproj renamed) with a variant.props.</summary>
    private static void CopyVariant(string src, string project, string variant, string variantProps)
    {
        CopySources(Path.Combine(src, project), Path.Combine(src, variant));
        File.Move(Path.Combine(src, variant, project + ".csproj"), Path.Combine(src, variant, variant + ".csproj"));
        File.WriteAllText(Path.Combine(src, variant, "variant.props"), variantProps);
    }

    private static void CopySources(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Contains("bin") || parts.Contains("obj"))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static string Hash(string sources, string sdkPath)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(sources, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var parts = Path.GetRelativePath(sources, file).Split(Path.DirectorySeparatorChar);
            if (parts.Contains("bin") || parts.Contains("obj"))
            {
                continue;
            }

            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(sources, file)));
            sha.AppendData(File.ReadAllBytes(file));
        }

        sha.AppendData(File.ReadAllBytes(sdkPath));
        sha.AppendData(Encoding.UTF8.GetBytes(typeof(TestPluginBuild).Assembly.Location));
        return Convert.ToHexString(sha.GetHashAndReset())[..16];
    }
}
