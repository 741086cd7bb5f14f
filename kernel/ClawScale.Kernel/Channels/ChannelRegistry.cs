using System.Collections.Concurrent;
using ClawScale.Kernel.Hosting;
using ClawScale.Kernel.Networking;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Security;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Channels;

/// <summary>
/// <see cref="IChannelRegistry"/>: one adapter per channel, created from the channel row and its kind's factory
/// (built-in channels first, then plugins), cached, and disposed when invalidated or when its plugin is retired by a
/// reload (the plugin host unloads the old assembly only after this registry released its adapters). Every adapter
/// gets the same HttpClient, built by <see cref="OutboundNetworkGuard"/>.
/// </summary>
internal sealed partial class ChannelRegistry : IChannelRegistry, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ChannelHandle> _adapters = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _create = new(1, 1);
    private readonly IServiceScopeFactory _scopes;
    private readonly IPluginCatalog _catalog;
    private readonly IEnumerable<IChannelAdapterFactory> _builtIns;
    private readonly IPluginInvoker _invoker;
    private readonly SecretProtector _secrets;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly ClawScaleOptions _options;
    private readonly ILogger<ChannelRegistry> _logger;
    private readonly HttpClient _http;
    private readonly IDisposable _subscription;

    public ChannelRegistry(
        IServiceScopeFactory scopes,
        IPluginCatalog catalog,
        IEnumerable<IChannelAdapterFactory> builtIns,
        IPluginInvoker invoker,
        SecretProtector secrets,
        ILoggerFactory loggers,
        TimeProvider time,
        IOptions<ClawScaleOptions> options,
        OutboundNetworkGuard network,
        ILogger<ChannelRegistry> logger)
    {
        _scopes = scopes;
        _catalog = catalog;
        _builtIns = builtIns;
        _invoker = invoker;
        _secrets = secrets;
        _loggers = loggers;
        _time = time;
        _options = options.Value;
        _logger = logger;
        // Plugins call platform APIs and open WebSockets through this client: guarded connections, no redirects.
        _http = network.CreateHttpClient();
        _subscription = catalog.OnChange(OnPluginsChangedAsync);
    }

    /// <summary>Raised after an adapter is created, so the supervisor can connect it and start its listener.</summary>
    public event Action<ChannelHandle>? AdapterCreated;

    /// <summary>
    /// Raised when an adapter is taken out of service (channel updated, archived or deleted, or its plugin retired),
    /// before it is disposed, so the supervisor can stop its listener: a replaced adapter must not keep polling.
    /// </summary>
    public event Action<ChannelHandle>? AdapterRemoved;

    public async ValueTask<ChannelLookup> GetAsync(string channelId, CancellationToken cancellationToken)
    {
        if (_adapters.TryGetValue(channelId, out var cached)) return new ChannelLookup(cached, null);
        await _create.WaitAsync(cancellationToken);
        try
        {
            if (_adapters.TryGetValue(channelId, out cached)) return new ChannelLookup(cached, null);
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
            var channel = await db.Channels.FirstOrDefaultAsync(c => c.Id == channelId, cancellationToken);
            if (channel is null) return new ChannelLookup(null, $"channel '{channelId}' does not exist");
            if (channel.Status == ChannelStatusValue.Archived) return new ChannelLookup(null, $"channel '{channelId}' is archived");

            var builtIn = _builtIns.FirstOrDefault(f => string.Equals(f.Kind, channel.Kind, StringComparison.OrdinalIgnoreCase));
            IChannelAdapterFactory? factory = builtIn;
            var source = "builtin";
            if (factory is null)
            {
                if (!_catalog.TryGetChannelFactory(channel.Kind, out factory, out var plugin))
                    return new ChannelLookup(null, $"no loaded plugin provides channel kind '{channel.Kind}' (see AdminService.ListPlugins)");
                source = plugin.Name;
            }

            Dictionary<string, string> credentials;
            string webhookSecret;
            try
            {
                credentials = _secrets.UnprotectMap(channel.CredentialsCiphertext);
                webhookSecret = _secrets.Unprotect(channel.WebhookSecretCiphertext);
            }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                LogUndecryptable(_logger, channel.Id, ex.Message);
                return new ChannelLookup(null,
                    $"the credentials of channel '{channel.Id}' cannot be decrypted by this kernel instance: its Data Protection key ring differs from the one that encrypted them. Instances sharing a database must share ClawScale:KeysDirectory.");
            }

            var context = new ChannelContext
            {
                ChannelId = channel.Id,
                TenantId = channel.TenantId,
                Config = Grpc.ProtoMapping.ReadMap(channel.ConfigJson),
                Credentials = credentials,
                WebhookSecret = webhookSecret,
                PublicWebhookUrl = _options.PublicBaseUrl is { Length: > 0 } baseUrl ? new Uri(new Uri(baseUrl.TrimEnd('/') + "/"), $"webhooks/{channel.Id}") : null,
                HttpClient = _http,
                Logger = _loggers.CreateLogger($"ClawScale.Channels.{channel.Kind}.{channel.Id}"),
                TimeProvider = _time,
                StatusSink = new ChannelStatusSink(_scopes, channel.Id, _time),
                ListenerCheckpoint = new ChannelListenerCheckpoint(_scopes, channel.Id, _time),
            };
            var adapter = _invoker.Invoke(source, "Create", () => factory.Create(context));
            var handle = new ChannelHandle(channel.Id, channel.TenantId, channel.Kind, adapter, source);
            _adapters[channel.Id] = handle;
            LogCreated(_logger, channel.Kind, channel.Id, source);
            AdapterCreated?.Invoke(handle);
            return new ChannelLookup(handle, null);
        }
        catch (PluginCallException ex)
        {
            return new ChannelLookup(null, ex.Message);
        }
        finally
        {
            _create.Release();
        }
    }

    public async ValueTask InvalidateAsync(string channelId)
    {
        if (_adapters.TryRemove(channelId, out var handle)) await DisposeAdapterAsync(handle);
    }

    /// <summary>The adapters alive now.</summary>
    public IReadOnlyCollection<ChannelHandle> Live => _adapters.Values.ToList();

    private async ValueTask OnPluginsChangedAsync(PluginCatalogChange change, CancellationToken cancellationToken)
    {
        foreach (var handle in _adapters.Values.Where(h => change.RetiredChannelKinds.Contains(h.Kind)).ToList())
        {
            if (_adapters.TryRemove(handle.ChannelId, out _)) await DisposeAdapterAsync(handle);
        }
    }

    private async ValueTask DisposeAdapterAsync(ChannelHandle handle)
    {
        AdapterRemoved?.Invoke(handle);
        try
        {
            await handle.Adapter.DisposeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogDisposeFailed(_logger, handle.ChannelId, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        foreach (var handle in _adapters.Values) await DisposeAdapterAsync(handle);
        _adapters.Clear();
        _http.Dispose();
        _create.Dispose();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Created {Kind} adapter for channel {ChannelId} from {Source}")]
    private static partial void LogCreated(ILogger logger, string kind, string channelId, string source);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Channel {ChannelId}: credentials cannot be decrypted (share ClawScale:KeysDirectory between instances of one database): {Reason}")]
    private static partial void LogUndecryptable(ILogger logger, string channelId, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Disposing the adapter of channel {ChannelId} failed")]
    private static partial void LogDisposeFailed(ILogger logger, string channelId, Exception exception);
}
