using ClawScale.Plugins.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClawScale.Plugins.Hosting.Tests.Infrastructure;

/// <summary>
/// A temp content root for one test: <c>plugins.json</c>, <c>artifacts/</c> (plugin folders listed in the manifest),
/// <c>data/plugins/</c> (drop-in folder) and <c>shadow/</c>. Deleted on dispose.
/// </summary>
public sealed class PluginWorkspace : IDisposable
{
    private readonly TestPluginBuild _build;

    public PluginWorkspace(TestPluginBuild build)
    {
        _build = build;
        Root = Path.Combine(Path.GetTempPath(), "clawscale-plugin-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PluginsDirectory => Path.Combine(Root, "data", "plugins");

    public string ManifestPath => Path.Combine(Root, "plugins.json");

    public TestLoggerProvider Logs { get; } = new();

    /// <summary>Copies a built test plugin to artifacts/&lt;asName&gt;/ and returns the path relative to the root.</summary>
    public string AddArtifact(string project, string? asName = null)
    {
        var relative = Path.Combine("artifacts", asName ?? project);
        CopyFolder(_build.PluginFolder(project), Path.Combine(Root, relative));
        return relative;
    }

    /// <summary>Copies a built test plugin into the drop-in directory as data/plugins/&lt;asName&gt;/.</summary>
    public void Drop(string project, string? asName = null) =>
        CopyFolder(_build.PluginFolder(project), Path.Combine(PluginsDirectory, asName ?? project));

    /// <summary>Writes plugins.json listing (name, path) entries.</summary>
    public void WriteManifest(params (string Name, string Path)[] entries) =>
        WriteManifestText("{ \"plugins\": [" + string.Join(",", entries.Select(e =>
            $"{{ \"name\": \"{e.Name}\", \"path\": \"{e.Path.Replace('\\', '/')}\", \"enabled\": true }}")) + "] }");

    public void WriteManifestText(string json) => File.WriteAllText(ManifestPath, json);

    public PluginHostOptions Options(bool watch = false) => new()
    {
        ContentRoot = Root,
        ShadowCopyDirectory = Path.Combine(Root, "shadow"),
        ReloadDebounce = TimeSpan.FromMilliseconds(100),
        Watch = watch,
    };

    internal PluginCatalog CreateCatalog(System.Diagnostics.Metrics.IMeterFactory? meters = null) =>
        new(Microsoft.Extensions.Options.Options.Create(Options()), Logs.CreateLogger<PluginCatalog>(), TimeProvider.System, meters: meters);

    public static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: temp files.
        }
    }
}
