using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>
/// Watches plugins.json (its directory, non-recursively), the plugins directory (recursively) and every folder listed
/// in plugins.json (recursively; a missing folder is watched through its nearest existing parent), and reloads the
/// catalog once no change has arrived for <see cref="PluginHostOptions.ReloadDebounce"/>. The debounce timer comes
/// from the injected <see cref="TimeProvider"/>. Reload failures are logged, never thrown.
/// </summary>
/// <remarks>
/// Ours rather than McMaster.NETCore.Plugins' <c>EnableHotReload</c>: McMaster watches only the <c>*.dll</c> files of
/// one plugin's folder and, on a change, unloads the old context and builds a new one inside the same loader at once.
/// It cannot see plugins.json changes or folders added to and removed from the plugins directory, cannot let the
/// kernel dispose adapters of the old generation before the unload (the catalog's change callbacks), cannot check the
/// new build's kinds against the other plugins or keep a failing build out, and its debounce runs on wall-clock
/// <c>Task.Delay</c> rather than <see cref="TimeProvider"/>. So every reload goes through <see cref="PluginCatalog.ReloadAsync"/>.
/// </remarks>
internal sealed class PluginWatcher : IDisposable
{
    private readonly PluginCatalog _catalog;
    private readonly TimeSpan _debounce;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, FileSystemWatcher> _folderWatchers = new(StringComparer.Ordinal);
    private readonly List<FileSystemWatcher> _fixedWatchers = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _manifestFileName;
    private Task _reloading = Task.CompletedTask;
    private bool _disposed;

    public PluginWatcher(PluginCatalog catalog, TimeSpan debounce, TimeProvider timeProvider, ILogger logger)
    {
        _catalog = catalog;
        _debounce = debounce;
        _logger = logger;
        _manifestFileName = Path.GetFileName(catalog.Paths.ManifestPath);
        _timer = timeProvider.CreateTimer(static state => ((PluginWatcher)state!).OnDebounced(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many debounced reloads the watcher has completed (for tests and diagnostics).</summary>
    public int CompletedReloads => Volatile.Read(ref _completedReloads);

    private int _completedReloads;

    public void Start()
    {
        var manifestDirectory = Path.GetDirectoryName(_catalog.Paths.ManifestPath);
        if (manifestDirectory is not null && Directory.Exists(manifestDirectory))
        {
            var watcher = TryWatch(manifestDirectory, recursive: false, e => IsManifest(e));
            if (watcher is not null)
            {
                _fixedWatchers.Add(watcher);
            }
        }

        try
        {
            Directory.CreateDirectory(_catalog.Paths.PluginsDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            PluginHostLog.PluginsDirectoryUnavailable(_logger, _catalog.Paths.PluginsDirectory, ex);
        }

        if (Directory.Exists(_catalog.Paths.PluginsDirectory))
        {
            var watcher = TryWatch(_catalog.Paths.PluginsDirectory, recursive: true, _ => true);
            if (watcher is not null)
            {
                _fixedWatchers.Add(watcher);
            }
        }

        _catalog.ReloadCompleted += RefreshFolderWatchers;
        RefreshFolderWatchers();
    }

    private bool IsManifest(FileSystemEventArgs e) =>
        string.Equals(e.Name, _manifestFileName, StringComparison.Ordinal)
        || e is RenamedEventArgs renamed && string.Equals(renamed.OldName, _manifestFileName, StringComparison.Ordinal);

    private void RefreshFolderWatchers()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            // Key: "R|<folder>" for a recursive watch of a listed folder, "N|<parent>" for the nearest existing parent of a missing one.
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var folder in _catalog.ManifestFolders)
            {
                if (folder.StartsWith(_catalog.Paths.PluginsDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    continue; // Already covered by the plugins directory watcher.
                }

                var target = folder;
                while (!Directory.Exists(target) && Path.GetDirectoryName(target) is { } parent)
                {
                    target = parent;
                }

                if (Directory.Exists(target))
                {
                    wanted.Add((target == folder ? "R|" : "N|") + target);
                }
            }

            foreach (var key in _folderWatchers.Keys.Where(k => !wanted.Contains(k)).ToList())
            {
                _folderWatchers[key].Dispose();
                _folderWatchers.Remove(key);
            }

            foreach (var key in wanted.Where(k => !_folderWatchers.ContainsKey(k)))
            {
                if (TryWatch(key[2..], recursive: key[0] == 'R', _ => true) is { } watcher)
                {
                    _folderWatchers[key] = watcher;
                }
            }
        }
    }

    private FileSystemWatcher? TryWatch(string path, bool recursive, Func<FileSystemEventArgs, bool> relevant)
    {
        try
        {
            var watcher = new FileSystemWatcher(path)
            {
                IncludeSubdirectories = recursive,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            FileSystemEventHandler handler = (_, e) =>
            {
                if (relevant(e))
                {
                    Schedule(e.FullPath);
                }
            };
            watcher.Changed += handler;
            watcher.Created += handler;
            watcher.Deleted += handler;
            watcher.Renamed += (_, e) =>
            {
                if (relevant(e))
                {
                    Schedule(e.FullPath);
                }
            };
            watcher.Error += (_, _) => Schedule(path);
            watcher.EnableRaisingEvents = true;
            PluginHostLog.WatchStarted(_logger, path);
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            PluginHostLog.WatchFailed(_logger, path, ex);
            return null;
        }
    }

    private void Schedule(string path)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            PluginHostLog.ChangeDetected(_logger, path);
            _timer.Change(_debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnDebounced()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            // Reloads are serialized by the catalog; chaining keeps at most one waiting here.
            _reloading = _reloading.ContinueWith(_ => ReloadAsync(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    private async Task ReloadAsync()
    {
        try
        {
            await _catalog.ReloadAsync(_stopping.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _completedReloads);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            PluginHostLog.WatchReloadFailed(_logger, ex);
        }
    }

    /// <summary>Stops watching and waits for a reload in progress (bounded by <paramref name="cancellationToken"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var reloading = Stop();
        try
        {
            await reloading.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is in a hurry; the reload ends on its own, its token is cancelled.
        }
    }

    public void Dispose() => Stop();

    private Task Stop()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return _reloading;
            }

            _disposed = true;
            _catalog.ReloadCompleted -= RefreshFolderWatchers;
            _timer.Dispose();
            foreach (var watcher in _fixedWatchers.Concat(_folderWatchers.Values))
            {
                watcher.Dispose();
            }

            _folderWatchers.Clear();
            _fixedWatchers.Clear();
            _stopping.Cancel();
            return _reloading;
        }
    }
}
