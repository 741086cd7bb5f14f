using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>One successful load of a plugin: its load context and the factories created from it.</summary>
internal sealed class LoadedPlugin
{
    public required PluginSource Source { get; init; }

    public required string Fingerprint { get; init; }

    public required string MainAssemblyPath { get; init; }

    public required string ShadowFolder { get; init; }

    public required PluginLoadContext Context { get; init; }

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
