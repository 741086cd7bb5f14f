namespace ClawScale.Plugins.Hosting;

/// <summary>What the catalog knows about one plugin: for admin APIs, logs and health checks.</summary>
public sealed record PluginInfo
{
    /// <summary>The plugin's name: the plugins.json <c>name</c>, or the folder name in the plugins directory.</summary>
    public required string Name { get; init; }

    /// <summary>Where the plugin was found.</summary>
    public required PluginOrigin Origin { get; init; }

    /// <summary>The plugin's main assembly informational version (or assembly version); <see langword="null"/> when not loaded.</summary>
    public string? Version { get; init; }

    /// <summary>The absolute path of the plugin's main assembly (or of its folder when the assembly could not be determined).</summary>
    public required string SourcePath { get; init; }

    /// <summary>The state.</summary>
    public required PluginState State { get; init; }

    /// <summary>The channel kinds served (<see cref="ClawScale.Plugins.Channels.IChannelAdapterFactory.Kind"/>); empty unless loaded.</summary>
    public IReadOnlyList<string> ChannelKinds { get; init; } = [];

    /// <summary>The agent kinds served (<see cref="ClawScale.Plugins.Agents.IAgentBackendFactory.Kind"/>); empty unless loaded.</summary>
    public IReadOnlyList<string> AgentKinds { get; init; } = [];

    /// <summary>When <see cref="State"/> is <see cref="PluginState.Failed"/>: what went wrong and what to do. Otherwise <see langword="null"/>.</summary>
    public string? Error { get; init; }

    /// <summary>When this load of the plugin happened (host clock, UTC); <see langword="null"/> when never loaded.</summary>
    public DateTimeOffset? LoadedAt { get; init; }

    /// <summary>
    /// The catalog generation that loaded this instance of the plugin. Objects created from the plugin's factories
    /// belong to this generation; when it changes, the old instances must be disposed (see <see cref="IPluginCatalog.OnChange"/>).
    /// </summary>
    public long LoadGeneration { get; init; }
}
