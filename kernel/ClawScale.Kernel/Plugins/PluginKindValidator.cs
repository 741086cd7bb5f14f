using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Configuration;
using ClawScale.Plugins.Hosting;

namespace ClawScale.Kernel.Plugins;

/// <summary>
/// <see cref="IKindValidator"/> over the loaded plugins and the kernel's built-in channels: an unknown kind lists the
/// loaded ones; a known kind delegates to its factory's <c>Validate</c> and <c>EndpointConfigKeys</c> (contained by
/// <see cref="IPluginInvoker"/>).
/// </summary>
internal sealed class PluginKindValidator(IPluginCatalog catalog, IEnumerable<IChannelAdapterFactory> builtInChannels, IPluginInvoker invoker) : IKindValidator
{
    /// <summary>The dial-out runtime kind: the kernel calls <c>AgentRuntime.HandleTurn</c> at the agent's config <c>endpoint</c>.</summary>
    public const string DialOutAgentKind = "grpc-runtime";

    /// <summary>The connected runtime kind: turns go to runtimes connected through <c>RuntimeService.Connect</c>.</summary>
    public const string ConnectedAgentKind = "external";

    /// <summary>Agent kinds served by external runtimes over gRPC rather than by a plugin.</summary>
    public static readonly IReadOnlySet<string> RuntimeAgentKinds = new HashSet<string>(StringComparer.Ordinal) { DialOutAgentKind, ConnectedAgentKind };

    /// <summary>Agent kinds whose turns go to runtime sessions connected through <c>RuntimeService.Connect</c>.</summary>
    public static readonly IReadOnlySet<string> ConnectedRuntimeAgentKinds = new HashSet<string>(StringComparer.Ordinal) { ConnectedAgentKind };

    /// <summary>Channel config keys the kernel itself reads (delivery limits); they are not passed to the plugin's Validate.</summary>
    public static readonly IReadOnlySet<string> KernelChannelConfigKeys = new HashSet<string>(StringComparer.Ordinal) { "max_concurrent_sends", "rate_limit_per_second" };

    public IReadOnlyList<string> ValidateChannel(string kind, IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        config = config.Where(p => !KernelChannelConfigKeys.Contains(p.Key)).ToDictionary(StringComparer.Ordinal);
        var builtIn = builtInChannels.FirstOrDefault(f => string.Equals(f.Kind, kind, StringComparison.OrdinalIgnoreCase));
        if (builtIn is not null) return builtIn.Validate(config, credentials);
        if (catalog.TryGetChannelFactory(kind, out var factory, out var plugin))
            return invoker.Invoke(plugin.Name, "Validate", () => factory.Validate(config, credentials));
        var known = builtInChannels.Select(f => f.Kind).Concat(catalog.GetPlugins().SelectMany(p => p.ChannelKinds)).Distinct().Order();
        return [$"kind: '{kind}' is not a loaded channel type (loaded: {string.Join(", ", known)}). Install its plugin (plugins.json or the plugins directory) and check AdminService.ListPlugins."];
    }

    public IReadOnlyList<string> ValidateAgent(string kind, IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        if (kind == DialOutAgentKind) return Agents.DialOutRuntimeBackend.Validate(config);
        if (RuntimeAgentKinds.Contains(kind)) return [];
        if (catalog.TryGetAgentFactory(kind, out IAgentBackendFactory? factory, out var plugin))
            return invoker.Invoke(plugin.Name, "Validate", () => factory.Validate(config, credentials));
        var known = catalog.GetPlugins().SelectMany(p => p.AgentKinds).Concat(RuntimeAgentKinds).Distinct().Order();
        return [$"kind: '{kind}' is not a loaded agent type (loaded: {string.Join(", ", known)}). Install its plugin (plugins.json or the plugins directory) and check AdminService.ListPlugins."];
    }

    public IReadOnlyCollection<string> ChannelEndpointKeys(string kind)
    {
        var builtIn = builtInChannels.FirstOrDefault(f => string.Equals(f.Kind, kind, StringComparison.OrdinalIgnoreCase));
        if (builtIn is not null) return builtIn.EndpointConfigKeys;
        return catalog.TryGetChannelFactory(kind, out var factory, out var plugin)
            ? invoker.Invoke(plugin.Name, "EndpointConfigKeys", () => factory.EndpointConfigKeys) ?? []
            : [];
    }

    public IReadOnlyCollection<string> AgentEndpointKeys(string kind)
    {
        if (kind == DialOutAgentKind) return Agents.DialOutRuntimeBackend.EndpointConfigKeys;
        if (RuntimeAgentKinds.Contains(kind)) return [];
        return catalog.TryGetAgentFactory(kind, out IAgentBackendFactory? factory, out var plugin)
            ? invoker.Invoke(plugin.Name, "EndpointConfigKeys", () => factory.EndpointConfigKeys) ?? []
            : [];
    }

    /// <summary>The settings of <c>grpc-runtime</c> agents (see <see cref="Agents.DialOutRuntimeBackend"/>).</summary>
    private static readonly IReadOnlyList<ConfigField> DialOutFields =
    [
        new("endpoint", "Runtime endpoint") { Required = true, Help = "The runtime's AgentRuntime gRPC address: scheme, host and port, for example http://10.0.0.5:50051." },
        new("token", "Bearer token") { Secret = true, Help = "Sent as authorization: Bearer to the runtime; empty for none." },
        new("timeout_seconds", "Timeout (s)") { Help = "Deadline per attempt in seconds." },
    ];

    public IReadOnlyList<KindFields> ChannelKinds()
    {
        var kinds = builtInChannels.Select(f => new KindFields(f.Kind, f.ConfigFields)).ToList();
        foreach (var plugin in catalog.GetPlugins().Where(p => p.State == PluginState.Loaded))
        {
            foreach (var kind in plugin.ChannelKinds.Order(StringComparer.Ordinal))
            {
                if (kinds.Any(k => string.Equals(k.Kind, kind, StringComparison.OrdinalIgnoreCase))) continue;
                IReadOnlyList<ConfigField> fields = [];
                if (catalog.TryGetChannelFactory(kind, out var factory, out var served))
                    fields = Declared(served.Name, () => factory.ConfigFields);
                kinds.Add(new KindFields(kind, fields));
            }
        }

        return kinds;
    }

    public IReadOnlyList<KindFields> AgentKinds()
    {
        var kinds = new List<KindFields>();
        foreach (var plugin in catalog.GetPlugins().Where(p => p.State == PluginState.Loaded))
        {
            foreach (var kind in plugin.AgentKinds.Order(StringComparer.Ordinal))
            {
                IReadOnlyList<ConfigField> fields = [];
                if (catalog.TryGetAgentFactory(kind, out IAgentBackendFactory? factory, out var served))
                    fields = Declared(served.Name, () => factory.ConfigFields);
                kinds.Add(new KindFields(kind, fields));
            }
        }

        kinds.Add(new KindFields(DialOutAgentKind, DialOutFields));
        kinds.Add(new KindFields(ConnectedAgentKind, []));
        return kinds;
    }

    private IReadOnlyList<ConfigField> Declared(string pluginName, Func<IReadOnlyList<ConfigField>> read)
    {
        try
        {
            return invoker.Invoke(pluginName, "ConfigFields", read) ?? [];
        }
        catch (PluginCallException)
        {
            return [];
        }
    }
}
