using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>
/// The catalog: reads plugins.json and the plugins directory, loads what changed, serves an immutable snapshot and
/// retires old load contexts cooperatively (see <see cref="IPluginCatalog"/>). McMaster.NETCore.Plugins builds each
/// plugin's load context (<see cref="PluginFolderLoader"/>); the manifest, the generations, kind conflicts, failure
/// reports, the drain through change callbacks before an unload and the collection check of retired contexts are ours.
/// </summary>
internal sealed class PluginCatalog : IPluginCatalog, IDisposable
{
    private readonly ILogger<PluginCatalog> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly PluginFolderLoader _loader;
    private readonly PluginHostMetrics _metrics;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private readonly Lock _callbackLock = new();
    private readonly List<RetiredContext> _retired = [];
    private List<Func<PluginCatalogChange, CancellationToken, ValueTask>> _callbacks = [];
    private CatalogSnapshot _snapshot = CatalogSnapshot.Empty;
    private IReadOnlyList<string> _manifestErrors = [];
    private bool _disposed;
    private volatile bool _loaded;
    private bool _shadowBasePrepared;

    public PluginCatalog(IOptions<PluginHostOptions> options, ILogger<PluginCatalog> logger, TimeProvider timeProvider, IHostEnvironment? environment = null, IMeterFactory? meters = null)
    {
        _logger = logger;
        _metrics = new PluginHostMetrics(meters);
        _timeProvider = timeProvider;
        Paths = ResolvedPaths.From(options.Value, environment?.ContentRootPath);
        _loader = new PluginFolderLoader(Paths.ShadowRoot, logger);
    }

    /// <summary>Raised after every reload attempt (applied or not), for the watcher to follow the listed folders.</summary>
    public event Action? ReloadCompleted;

    public ResolvedPaths Paths { get; }

    public long Generation => Volatile.Read(ref _snapshot).Generation;

    public IReadOnlyList<string> ManifestErrors => Volatile.Read(ref _manifestErrors);

    public bool IsLoaded => _loaded;

    /// <summary>The folders of the current plugins.json entries (to watch for rebuilds).</summary>
    internal IReadOnlyList<string> ManifestFolders { get; private set; } = [];

    public bool TryGetChannelFactory(string kind, [NotNullWhen(true)] out IChannelAdapterFactory? factory) =>
        TryGetChannelFactory(kind, out factory, out _);

    public bool TryGetChannelFactory(string kind, [NotNullWhen(true)] out IChannelAdapterFactory? factory, [NotNullWhen(true)] out PluginInfo? plugin)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (Volatile.Read(ref _snapshot).Channels.TryGetValue(kind, out var entry))
        {
            (factory, plugin) = entry;
            return true;
        }

        (factory, plugin) = (null, null);
        return false;
    }

    public bool TryGetAgentFactory(string kind, [NotNullWhen(true)] out IAgentBackendFactory? factory) =>
        TryGetAgentFactory(kind, out factory, out _);

    public bool TryGetAgentFactory(string kind, [NotNullWhen(true)] out IAgentBackendFactory? factory, [NotNullWhen(true)] out PluginInfo? plugin)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (Volatile.Read(ref _snapshot).Agents.TryGetValue(kind, out var entry))
        {
            (factory, plugin) = entry;
            return true;
        }

        (factory, plugin) = (null, null);
        return false;
    }

    public IReadOnlyList<PluginInfo> GetPlugins() => Volatile.Read(ref _snapshot).Plugins;

    public IDisposable OnChange(Func<PluginCatalogChange, CancellationToken, ValueTask> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_callbackLock)
        {
            _callbacks = [.. _callbacks, callback];
        }

        return new Registration(this, callback);
    }

    /// <summary>For tests: a weak reference to the load context currently serving <paramref name="pluginName"/>, or <see langword="null"/>.</summary>
    internal WeakReference? GetLoadContextReference(string pluginName) =>
        Volatile.Read(ref _snapshot).Loaded.FirstOrDefault(l => string.Equals(l.Source.Name, pluginName, StringComparison.OrdinalIgnoreCase)) is { } loaded
            ? new WeakReference(loaded.Context)
            : null;

    public async Task<PluginReloadResult> ReloadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _reloadLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await ReloadCoreAsync(cancellationToken).ConfigureAwait(false);
            _loaded = true;
            return result;
        }
        finally
        {
            _reloadLock.Release();
            ReloadCompleted?.Invoke();
        }
    }

    private async Task<PluginReloadResult> ReloadCoreAsync(CancellationToken cancellationToken)
    {
        var old = Volatile.Read(ref _snapshot);
        CleanUpRetired();
        if (!_shadowBasePrepared)
        {
            // At the first load, not in the constructor: the catalog is built before the host starts, and the kernel
            // creates its data directory owner-only (and only after its ports are bound) before the plugin host starts.
            _loader.PrepareShadowBase();
            _shadowBasePrepared = true;
        }

        var manifest = ManifestReader.Read(Paths.ManifestPath);
        if (manifest.Errors.Count > 0)
        {
            Volatile.Write(ref _manifestErrors, manifest.Errors);
            PluginHostLog.ManifestRejected(_logger, Paths.ManifestPath, old.Generation, string.Join(" | ", manifest.Errors));
            _metrics.LoadFailed(null, PluginHostMetrics.Manifest);
            return new PluginReloadResult { Applied = false, ManifestErrors = manifest.Errors, Generation = old.Generation, Plugins = old.Plugins };
        }

        Volatile.Write(ref _manifestErrors, []);
        if (!manifest.Exists && old.Generation == 0)
        {
            PluginHostLog.ManifestMissing(_logger, Paths.ManifestPath, Paths.PluginsDirectory);
        }

        ManifestFolders = [.. manifest.Entries.Select(e => e.Folder).Distinct(StringComparer.Ordinal)];
        var sources = new List<PluginSource>(manifest.Entries);
        sources.AddRange(ScanPluginsDirectory(manifest.Entries));

        var generation = old.Generation + 1;
        var now = _timeProvider.GetUtcNow();
        var infos = new List<PluginInfo>();
        var loaded = new List<LoadedPlugin>();
        var fresh = new List<LoadedPlugin>();
        var channelOwners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var agentOwners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, PluginSource>(StringComparer.OrdinalIgnoreCase);

        foreach (var source in sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (names.TryGetValue(source.Name, out var first))
            {
                _metrics.LoadFailed(source.Name, PluginHostMetrics.DuplicateName);
                infos.Add(Failed(source, $"the name \"{source.Name}\" is already used by the plugin at {first.Folder} ({first.Origin}); rename this folder or the plugins.json entry."));
                continue;
            }

            names[source.Name] = source;
            if (!source.Enabled)
            {
                infos.Add(new PluginInfo { Name = source.Name, Origin = source.Origin, SourcePath = source.Folder, State = PluginState.Unloaded });
                continue;
            }

            var fingerprint = PluginFolderLoader.Fingerprint(source);
            var plugin = old.Loaded.FirstOrDefault(l => l.Source == source && l.Fingerprint == fingerprint);
            if (plugin is null)
            {
                var outcome = _loader.Load(source, fingerprint, generation, now);
                if (outcome.Plugin is null)
                {
                    _metrics.LoadFailed(source.Name, PluginHostMetrics.Load);
                    infos.Add(outcome.Failure!);
                    continue;
                }

                plugin = outcome.Plugin;
                fresh.Add(plugin);
            }

            var conflict = FindConflict(plugin, channelOwners, agentOwners);
            if (conflict is not null)
            {
                var failed = plugin.ToFailedInfo(conflict);
                PluginHostLog.PluginFailed(_logger, source.Name, plugin.MainAssemblyPath, conflict, null);
                _metrics.LoadFailed(source.Name, PluginHostMetrics.Conflict);
                infos.Add(failed);
                continue;
            }

            foreach (var factory in plugin.ChannelFactories)
            {
                channelOwners[factory.Kind] = source.Name;
            }

            foreach (var factory in plugin.AgentFactories)
            {
                agentOwners[factory.Kind] = source.Name;
            }

            loaded.Add(plugin);
            infos.Add(plugin.ToInfo());
        }

        // Freshly loaded plugins that lost a kind conflict never served anything: unload them at once.
        foreach (var unused in fresh.Where(f => !loaded.Contains(f)))
        {
            Retire(unused);
        }

        var retired = old.Loaded.Where(l => !loaded.Contains(l)).ToList();
        var changed = fresh.Any(loaded.Contains) || retired.Count > 0 || !SameInfos(old.Plugins, infos);
        if (!changed)
        {
            return new PluginReloadResult { Applied = true, ManifestErrors = [], Generation = old.Generation, Plugins = old.Plugins };
        }

        var snapshot = new CatalogSnapshot(generation, infos, loaded);
        Volatile.Write(ref _snapshot, snapshot);
        PluginHostLog.ReloadApplied(_logger, generation, loaded.Count, infos.Count(i => i.State == PluginState.Failed),
            infos.Count(i => i.State == PluginState.Unloaded), retired.Count);
        foreach (var plugin in fresh.Where(loaded.Contains))
        {
            PluginHostLog.PluginLoaded(_logger, plugin.Source.Name, plugin.Version, plugin.MainAssemblyPath,
                string.Join(", ", plugin.ChannelFactories.Select(f => f.Kind)), string.Join(", ", plugin.AgentFactories.Select(f => f.Kind)));
        }

        var change = new PluginCatalogChange
        {
            Generation = generation,
            Plugins = infos,
            Retired = [.. retired.Select(r => r.ToInfo())],
            RetiredChannelKinds = retired.SelectMany(r => r.ChannelFactories.Select(f => f.Kind)).ToHashSet(StringComparer.OrdinalIgnoreCase),
            RetiredAgentKinds = retired.SelectMany(r => r.AgentFactories.Select(f => f.Kind)).ToHashSet(StringComparer.OrdinalIgnoreCase),
        };
        await NotifyAsync(change, cancellationToken).ConfigureAwait(false);

        foreach (var plugin in retired)
        {
            PluginHostLog.PluginRetired(_logger, plugin.Source.Name, plugin.LoadGeneration);
            Retire(plugin);
        }

        return new PluginReloadResult { Applied = true, ManifestErrors = [], Generation = generation, Plugins = infos };
    }

    private IEnumerable<PluginSource> ScanPluginsDirectory(IReadOnlyList<PluginSource> manifestEntries)
    {
        string[] folders;
        try
        {
            Directory.CreateDirectory(Paths.PluginsDirectory);
            folders = Directory.GetDirectories(Paths.PluginsDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            PluginHostLog.PluginsDirectoryUnavailable(_logger, Paths.PluginsDirectory, ex);
            return [];
        }

        Array.Sort(folders, StringComparer.Ordinal);
        var listed = manifestEntries.Select(e => Path.TrimEndingDirectorySeparator(e.Folder)).ToHashSet(StringComparer.Ordinal);
        return folders
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !listed.Contains(Path.TrimEndingDirectorySeparator(f)))
            .Select(f => new PluginSource(Path.GetFileName(f), PluginOrigin.Directory, f, null, true));
    }

    private static string? FindConflict(LoadedPlugin plugin, Dictionary<string, string> channelOwners, Dictionary<string, string> agentOwners)
    {
        foreach (var factory in plugin.ChannelFactories)
        {
            if (channelOwners.TryGetValue(factory.Kind, out var owner))
            {
                return $"the channel kind \"{factory.Kind}\" is already served by the plugin \"{owner}\" (listed earlier). Give one of them another Kind, or disable one in plugins.json.";
            }
        }

        foreach (var factory in plugin.AgentFactories)
        {
            if (agentOwners.TryGetValue(factory.Kind, out var owner))
            {
                return $"the agent kind \"{factory.Kind}\" is already served by the plugin \"{owner}\" (listed earlier). Give one of them another Kind, or disable one in plugins.json.";
            }
        }

        return null;
    }

    private static bool SameInfos(IReadOnlyList<PluginInfo> a, List<PluginInfo> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Name == p.Second.Name && p.First.State == p.Second.State
            && p.First.Error == p.Second.Error && p.First.SourcePath == p.Second.SourcePath && p.First.LoadGeneration == p.Second.LoadGeneration);

    private PluginInfo Failed(PluginSource source, string error)
    {
        PluginHostLog.PluginFailed(_logger, source.Name, source.Folder, error, null);
        return new PluginInfo { Name = source.Name, Origin = source.Origin, SourcePath = source.Folder, State = PluginState.Failed, Error = error };
    }

    private async Task NotifyAsync(PluginCatalogChange change, CancellationToken cancellationToken)
    {
        var callbacks = Volatile.Read(ref _callbacks);
        foreach (var callback in callbacks)
        {
            try
            {
                await callback(change, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                PluginHostLog.ChangeCallbackFailed(_logger, change.Generation, ex);
            }
        }
    }

    /// <summary>
    /// Unloads a plugin (disposing its McMaster loader unloads the collectible context) and remembers the context weakly,
    /// so its shadow copy is deleted once the runtime has collected it. Called only after every change callback has
    /// returned: McMaster unloads at once, the drain before it is ours.
    /// </summary>
    private void Retire(LoadedPlugin plugin)
    {
        var context = new WeakReference(plugin.Context);
        plugin.Loader.Dispose();
        lock (_retired)
        {
            _retired.Add(new RetiredContext(plugin.Source.Name, plugin.LoadGeneration, context, plugin.ShadowFolder));
        }
    }

    private void CleanUpRetired()
    {
        lock (_retired)
        {
            _retired.RemoveAll(r => !r.Context.IsAlive && _loader.TryDelete(r.ShadowFolder));
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Loaded plugins stay loaded (the process is ending or the kernel still holds adapters); only files are removed.
        _loader.TryDelete(Paths.ShadowRoot);
    }

    private sealed class Registration(PluginCatalog catalog, Func<PluginCatalogChange, CancellationToken, ValueTask> callback) : IDisposable
    {
        public void Dispose()
        {
            lock (catalog._callbackLock)
            {
                catalog._callbacks = [.. catalog._callbacks.Where(c => c != callback)];
            }
        }
    }
}
