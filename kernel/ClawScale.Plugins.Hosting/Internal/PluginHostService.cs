using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>Loads the plugins when the host starts (before hosted services registered after it) and watches for changes.</summary>
internal sealed class PluginHostService : IHostedService, IDisposable
{
    private readonly PluginCatalog _catalog;
    private readonly PluginHostOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<PluginHostService> _logger;
    private PluginWatcher? _watcher;

    public PluginHostService(PluginCatalog catalog, IOptions<PluginHostOptions> options, TimeProvider timeProvider, ILogger<PluginHostService> logger)
    {
        _catalog = catalog;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The watcher, when watching (for tests).</summary>
    internal PluginWatcher? Watcher => _watcher;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Watch)
        {
            // Watch first, so a change made while the first load runs is not missed.
            _watcher = new PluginWatcher(_catalog, _options.ReloadDebounce, _timeProvider, _logger);
            _watcher.Start();
        }

        await _catalog.ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_watcher is not null)
        {
            await _watcher.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _watcher?.Dispose();
}
