namespace ClawScale.Plugins.Hosting;

/// <summary>
/// Settings of the plugin host, bound by <see cref="PluginHostServiceCollectionExtensions.AddClawScalePluginHost"/>.
/// Validated at start (every error at once); relative paths are resolved once, when the host starts.
/// </summary>
public sealed record PluginHostOptions
{
    /// <summary>
    /// The directory relative paths are resolved against. <see langword="null"/> (the default) means the host's
    /// content root (<c>IHostEnvironment.ContentRootPath</c>), or the current directory when there is no host environment.
    /// </summary>
    public string? ContentRoot { get; set; }

    /// <summary>
    /// The plugins.json manifest. Relative to <see cref="ContentRoot"/>; default <c>plugins.json</c>. A missing file
    /// means "no listed plugins" (only the plugins directory is used), not an error.
    /// Shape: <c>{ "plugins": [ { "name": "telegram", "path": "artifacts/plugins/ClawScale.Plugins.Telegram", "enabled": true, "assembly": "optional.dll" } ] }</c>.
    /// </summary>
    public string ManifestPath { get; set; } = "plugins.json";

    /// <summary>The kernel's data directory, relative to <see cref="ContentRoot"/>; default <c>data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// The drop-in plugins directory: every sub-folder is one plugin named after the folder. Relative to
    /// <see cref="DataDirectory"/> (default <c>plugins</c>, so <c>data/plugins</c>); any absolute path is accepted.
    /// Created when missing.
    /// </summary>
    public string PluginsDirectory { get; set; } = "plugins";

    /// <summary>
    /// How long the watcher waits after the last file change before reloading, so a rebuild writing many files
    /// causes one reload. Default 500 ms; between 0 and 1 minute.
    /// </summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The default timeout of one call into plugin code made through <see cref="IPluginInvoker"/> when the caller
    /// gives none. Default 30 s; must be positive or <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether plugins.json, the plugins directory and every listed plugin folder are watched, so changes are
    /// loaded without a restart. Default <see langword="true"/>.
    /// </summary>
    public bool Watch { get; set; } = true;

    /// <summary>
    /// Where plugin folders are shadow-copied before loading, so the originals can be rebuilt or replaced while
    /// loaded. Each host instance uses its own sub-folder (<c>&lt;process id&gt;-&lt;guid&gt;</c>), deleted when the host is
    /// disposed. <see langword="null"/> (the default) means <c>plugin-cache</c> under <see cref="DataDirectory"/>; a
    /// relative path is resolved against <see cref="ContentRoot"/>. The folder holds code the host loads, so it is
    /// created owner-only (0700 on Unix) and must not be shared with other users: a shared, predictable folder (such
    /// as one under <c>/tmp</c>) lets another local user swap assemblies between copy and load, and one created by
    /// another user (root, say) makes every plugin fail to load. At start the host deletes the sub-folders of
    /// processes that no longer run (a killed kernel's copies) and its own process id's earlier copies (a container
    /// restarted with the same process id).
    /// </summary>
    public string? ShadowCopyDirectory { get; set; }
}
