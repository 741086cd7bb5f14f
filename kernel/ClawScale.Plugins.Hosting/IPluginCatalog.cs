using System.Diagnostics.CodeAnalysis;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Hosting;

/// <summary>
/// The loaded plugins, as the kernel queries them. Thread-safe; lookups are lock-free reads of an immutable snapshot
/// that a reload swaps atomically. Kinds are matched case-insensitively (ordinal).
/// </summary>
/// <remarks>
/// Lifetime contract (cooperative unloading, as in DotNetCorePlugins): objects the kernel creates from a factory
/// belong to that plugin's load generation. When a reload retires a plugin (changed on disk, removed, disabled or now
/// failing), the catalog serves the new factories first, then awaits every <see cref="OnChange"/> callback, and only
/// then unloads the old <see cref="System.Runtime.Loader.AssemblyLoadContext"/>. The kernel must dispose the old
/// adapters/backends inside its callback and keep no reference to them or to the old factories; otherwise the old
/// code stays in memory (it keeps working, it is just not collected).
/// </remarks>
public interface IPluginCatalog
{
    /// <summary>The generation served: 0 before the first load, then increased by one per applied reload.</summary>
    long Generation { get; }

    /// <summary>
    /// Whether the first reload has finished: plugins.json and the plugins directory were read and every plugin is either
    /// served or reported (<see cref="PluginState.Failed"/>, <see cref="ManifestErrors"/>). Meant for readiness checks.
    /// </summary>
    bool IsLoaded { get; }

    /// <summary>
    /// The errors of the last rejected plugins.json (each naming the entry and what to fix); empty when the last
    /// reload applied. Meant for health checks and the admin API.
    /// </summary>
    IReadOnlyList<string> ManifestErrors { get; }

    /// <summary>Finds the factory serving a channel kind.</summary>
    /// <param name="kind">The channel kind, for example <c>telegram</c>.</param>
    /// <param name="factory">The factory, when found.</param>
    /// <returns>Whether a loaded plugin serves <paramref name="kind"/>.</returns>
    bool TryGetChannelFactory(string kind, [NotNullWhen(true)] out IChannelAdapterFactory? factory);

    /// <summary>Finds the factory serving a channel kind and the plugin it comes from (its name is what <see cref="IPluginInvoker"/> reports).</summary>
    /// <param name="kind">The channel kind.</param>
    /// <param name="factory">The factory, when found.</param>
    /// <param name="plugin">The plugin, when found.</param>
    /// <returns>Whether a loaded plugin serves <paramref name="kind"/>.</returns>
    bool TryGetChannelFactory(string kind, [NotNullWhen(true)] out IChannelAdapterFactory? factory, [NotNullWhen(true)] out PluginInfo? plugin);

    /// <summary>Finds the factory serving an agent kind.</summary>
    /// <param name="kind">The agent kind, for example <c>openai</c>.</param>
    /// <param name="factory">The factory, when found.</param>
    /// <returns>Whether a loaded plugin serves <paramref name="kind"/>.</returns>
    bool TryGetAgentFactory(string kind, [NotNullWhen(true)] out IAgentBackendFactory? factory);

    /// <summary>Finds the factory serving an agent kind and the plugin it comes from.</summary>
    /// <param name="kind">The agent kind.</param>
    /// <param name="factory">The factory, when found.</param>
    /// <param name="plugin">The plugin, when found.</param>
    /// <returns>Whether a loaded plugin serves <paramref name="kind"/>.</returns>
    bool TryGetAgentFactory(string kind, [NotNullWhen(true)] out IAgentBackendFactory? factory, [NotNullWhen(true)] out PluginInfo? plugin);

    /// <summary>Every known plugin (loaded, failed, or disabled), plugins.json entries first in file order, then the plugins directory by folder name.</summary>
    /// <returns>A snapshot.</returns>
    IReadOnlyList<PluginInfo> GetPlugins();

    /// <summary>
    /// Re-reads plugins.json and the plugins directory and applies the result: unchanged plugins are kept as they are,
    /// changed or new ones are loaded into new load contexts, and removed or changed ones are retired (see
    /// <see cref="OnChange"/>). Never throws for plugin or manifest problems: an invalid plugins.json keeps the last
    /// good set and is reported in the result; a plugin that fails to load is reported as <see cref="PluginState.Failed"/>.
    /// Reloads are serialized.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for a running reload and the change callbacks.</param>
    /// <returns>What was applied.</returns>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    Task<PluginReloadResult> ReloadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Registers a callback run after each reload that changed the catalog, before retired load contexts are unloaded.
    /// Callbacks run one after another; an exception is logged and does not stop the reload.
    /// </summary>
    /// <param name="callback">Receives the change and the reload's cancellation token.</param>
    /// <returns>Disposing it unregisters the callback.</returns>
    IDisposable OnChange(Func<PluginCatalogChange, CancellationToken, ValueTask> callback);
}
