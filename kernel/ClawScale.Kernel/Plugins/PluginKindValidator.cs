using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Channels;
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
}
