namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>The absolute paths the host works with, resolved once from <see cref="PluginHostOptions"/>.</summary>
/// <param name="ManifestPath">plugins.json.</param>
/// <param name="PluginsDirectory">The drop-in plugins directory.</param>
/// <param name="ShadowRoot">This host instance's own shadow-copy folder (unique per instance; deleted on dispose), inside the
/// private shadow-copy base folder (default <c>{DataDirectory}/plugin-cache</c>).</param>
internal sealed record ResolvedPaths(string ManifestPath, string PluginsDirectory, string ShadowRoot)
{
    public static ResolvedPaths From(PluginHostOptions options, string? hostContentRoot)
    {
        var contentRoot = Path.GetFullPath(options.ContentRoot ?? hostContentRoot ?? Directory.GetCurrentDirectory());
        var dataDirectory = Path.GetFullPath(Path.Combine(contentRoot, options.DataDirectory));
        var manifest = Path.GetFullPath(Path.Combine(contentRoot, options.ManifestPath));
        var plugins = Path.GetFullPath(Path.Combine(dataDirectory, options.PluginsDirectory));
        var shadowBase = options.ShadowCopyDirectory is null
            ? Path.Combine(dataDirectory, "plugin-cache")
            : Path.GetFullPath(Path.Combine(contentRoot, options.ShadowCopyDirectory));
        var shadow = Path.Combine(shadowBase, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        return new ResolvedPaths(manifest, plugins, shadow);
    }
}
