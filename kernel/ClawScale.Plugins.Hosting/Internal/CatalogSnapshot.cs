using System.Collections.Frozen;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>One immutable generation of the catalog, swapped atomically by a reload.</summary>
internal sealed class CatalogSnapshot
{
    public static readonly CatalogSnapshot Empty = new(0, [], []);

    public CatalogSnapshot(long generation, IReadOnlyList<PluginInfo> plugins, IReadOnlyList<LoadedPlugin> loaded)
    {
        Generation = generation;
        Plugins = plugins;
        Loaded = loaded;
        var infos = plugins.Where(p => p.State == PluginState.Loaded).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        Channels = loaded.SelectMany(l => l.ChannelFactories.Select(f => (f.Kind, Entry: (f, infos[l.Source.Name]))))
            .ToFrozenDictionary(x => x.Kind, x => x.Entry, StringComparer.OrdinalIgnoreCase);
        Agents = loaded.SelectMany(l => l.AgentFactories.Select(f => (f.Kind, Entry: (f, infos[l.Source.Name]))))
            .ToFrozenDictionary(x => x.Kind, x => x.Entry, StringComparer.OrdinalIgnoreCase);
    }

    public long Generation { get; }

    /// <summary>Every plugin, in catalog order.</summary>
    public IReadOnlyList<PluginInfo> Plugins { get; }

    /// <summary>The loaded plugins (their kinds do not collide).</summary>
    public IReadOnlyList<LoadedPlugin> Loaded { get; }

    public FrozenDictionary<string, (IChannelAdapterFactory Factory, PluginInfo Plugin)> Channels { get; }

    public FrozenDictionary<string, (IAgentBackendFactory Factory, PluginInfo Plugin)> Agents { get; }
}
