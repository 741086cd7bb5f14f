using ClawScale.Plugins.Agents;
using System.Runtime.Loader;
using ClawScale.Plugins.Channels;
using McMasterPluginLoader = McMaster.NETCore.Plugins.PluginLoader;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>One successful load of a plugin: its McMaster loader (which owns the load context) and the factories created from it.</summary>
internal sealed class LoadedPlugin
{
    public required PluginSource Source { get; init; }

    public required string Fingerprint { get; init; }

    public required string MainAssemblyPath { get; init; }

    public required string ShadowFolder { get; init; }

    /// <summary>The McMaster loader; disposing it unloads <see cref="Context"/>.</summary>
    public required McMasterPluginLoader Loader { get; init; }

    /// <summary>The plugin's collectible load context.</summary>
    public AssemblyLoadContext Context => Loader.LoadContext;

    public required IReadOnlyList<IChannelAdapterFactory> ChannelFactories { get; init; }

    public required IReadOnlyList<IAgentBackendFactory> AgentFactories { get; init; }

    public string? Version { get; init; }

    public required DateTimeOffset LoadedAt { get; init; }

    public required long LoadGeneration { get; init; }

    public PluginInfo ToInfo() => new()
    {
        Name = Source.Name,
        Origin = Source.Origin,
        Version = Version,
        SourcePath = MainAssemblyPath,
        State = PluginState.Loaded,
        ChannelKinds = [.. ChannelFactories.Select(f => f.Kind)],
        AgentKinds = [.. AgentFactories.Select(f => f.Kind)],
        LoadedAt = LoadedAt,
        LoadGeneration = LoadGeneration,
    };

    public PluginInfo ToFailedInfo(string error) => ToInfo() with
    {
        State = PluginState.Failed,
        ChannelKinds = [],
        AgentKinds = [],
        Error = error,
    };
}
