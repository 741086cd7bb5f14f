using System.Collections.Concurrent;
using ClawScale.Kernel.Networking;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Plugins;
using ClawScale.Kernel.Security;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Hosting;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Agents;

/// <summary>
/// Live agent backends, one per agent, created from the agent row and its plugin's factory; recreated when the agent
/// is updated and disposed when its plugin is retired by a reload.
/// </summary>
internal sealed partial class AgentRegistry : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, AgentHandle> _backends = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _create = new(1, 1);
    private readonly IServiceScopeFactory _scopes;
    private readonly IPluginCatalog _catalog;
    private readonly IPluginInvoker _invoker;
    private readonly SecretProtector _secrets;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentRegistry> _logger;
    private readonly HttpClient _http;
    private readonly IDisposable _subscription;
    private readonly GrpcChannelCache _dialOutChannels;

    /// <summary>The <see cref="AgentHandle.Source"/> of backends the kernel provides itself (no plugin).</summary>
    public const string KernelSource = "kernel";

    public AgentRegistry(IServiceScopeFactory scopes, IPluginCatalog catalog, IPluginInvoker invoker, SecretProtector secrets, ILoggerFactory loggers, TimeProvider time, OutboundNetworkGuard network, ILogger<AgentRegistry> logger)
    {
        _scopes = scopes;
        _catalog = catalog;
        _invoker = invoker;
        _secrets = secrets;
        _loggers = loggers;
        _time = time;
        _logger = logger;
        // Agent plugins and dial-out runtimes are reached through guarded connections only (no redirects either).
        _http = network.CreateHttpClient();
        _dialOutChannels = new GrpcChannelCache(() => network.CreateHandler(http2: true));
        _subscription = catalog.OnChange(async (change, token) =>
        {
            foreach (var handle in _backends.Values.Where(h => change.RetiredAgentKinds.Contains(h.Kind)).ToList())
            {
                if (_backends.TryRemove(handle.AgentId, out _)) await DisposeBackendAsync(handle);
            }
        });
    }

    /// <summary>
    /// The backend of an agent, or why there is none (deleted agent, connected runtime kind, plugin not loaded).
    /// Kind <c>grpc-runtime</c> gets the built-in <see cref="DialOutRuntimeBackend"/>.
    /// </summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="knownVersion">The agent's <c>updated_at</c> when the caller already read it (DISPATCH loads it with
    /// the turn): a live backend of that version is returned without reading the agent again. Null: read it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async ValueTask<(AgentHandle? Handle, string? Problem)> GetAsync(string agentId, DateTime? knownVersion, CancellationToken cancellationToken)
    {
        if (knownVersion is { } version && _backends.TryGetValue(agentId, out var live) && live.Version == version) return (live, null);
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClawScaleDbContext>();
        var agent = await db.Agents.FirstOrDefaultAsync(a => a.Id == agentId, cancellationToken);
        if (agent is null) return (null, $"agent '{agentId}' no longer exists");
        if (_backends.TryGetValue(agentId, out var cached) && cached.Version == agent.UpdatedAt) return (cached, null);
        if (PluginKindValidator.ConnectedRuntimeAgentKinds.Contains(agent.Kind))
            return (null, $"agent '{agent.Name}' is an external runtime ({agent.Kind}); its turns go to runtimes connected through RuntimeService.Connect");

        await _create.WaitAsync(cancellationToken);
        try
        {
            if (_backends.TryGetValue(agentId, out cached))
            {
                if (cached.Version == agent.UpdatedAt) return (cached, null);
                _backends.TryRemove(agentId, out _);
                await DisposeBackendAsync(cached);
            }

            var dialOut = agent.Kind == PluginKindValidator.DialOutAgentKind;
            IAgentBackendFactory? factory = null;
            PluginInfo? plugin = null;
            if (!dialOut && !_catalog.TryGetAgentFactory(agent.Kind, out factory, out plugin))
                return (null, $"no loaded plugin provides agent kind '{agent.Kind}' (see AdminService.ListPlugins)");
            var context = new AgentContext
            {
                AgentId = agent.Id,
                TenantId = agent.TenantId,
                Config = Grpc.ProtoMapping.ReadMap(agent.ConfigJson),
                Credentials = UnprotectOrThrow(agent.CredentialsCiphertext, agent.Id),
                HttpClient = _http,
                Logger = _loggers.CreateLogger($"ClawScale.Agents.{agent.Kind}.{agent.Id}"),
                TimeProvider = _time,
            };
            IAgentBackend backend;
            if (dialOut)
            {
                try
                {
                    backend = DialOutRuntimeBackend.Create(context, _dialOutChannels);
                }
                catch (ArgumentException ex)
                {
                    return (null, $"agent '{agent.Name}' (grpc-runtime) has an invalid config: {ex.Message}");
                }
            }
            else
            {
                backend = _invoker.Invoke(plugin!.Name, "Create", () => factory!.Create(context));
            }

            var handle = new AgentHandle(agent.Id, agent.Kind, backend, dialOut ? KernelSource : plugin!.Name, agent.UpdatedAt);
            _backends[agent.Id] = handle;
            return (handle, null);
        }
        catch (PluginCallException ex)
        {
            return (null, ex.Message);
        }
        finally
        {
            _create.Release();
        }
    }

    private Dictionary<string, string> UnprotectOrThrow(string ciphertext, string agentId)
    {
        try
        {
            return _secrets.UnprotectMap(ciphertext);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new PluginCallException("kernel", "Create", PluginCallFailure.Faulted,
                $"the credentials of agent '{agentId}' cannot be decrypted by this kernel instance; instances sharing a database must share ClawScale:KeysDirectory", ex);
        }
    }

    private async ValueTask DisposeBackendAsync(AgentHandle handle)
    {
        try
        {
            await handle.Backend.DisposeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogDisposeFailed(_logger, handle.AgentId, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        foreach (var handle in _backends.Values) await DisposeBackendAsync(handle);
        _backends.Clear();
        _http.Dispose();
        _dialOutChannels.Dispose();
        _create.Dispose();
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Disposing the backend of agent {AgentId} failed")]
    private static partial void LogDisposeFailed(ILogger logger, string agentId, Exception exception);
}

/// <summary>A live agent backend.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Backend">The backend; call it through IPluginInvoker.</param>
/// <param name="Source">The plugin name.</param>
/// <param name="Version">The agent row's update time the backend was created from.</param>
internal sealed record AgentHandle(string AgentId, string Kind, IAgentBackend Backend, string Source, DateTime Version);
