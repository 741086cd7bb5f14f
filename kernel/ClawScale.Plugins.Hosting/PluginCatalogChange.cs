namespace ClawScale.Plugins.Hosting;

/// <summary>
/// Passed to <see cref="IPluginCatalog.OnChange"/> callbacks after a reload changed the catalog. The new factories
/// are already served; the retired plugins' load contexts are unloaded once every callback has returned.
/// </summary>
public sealed record PluginCatalogChange
{
    /// <summary>The catalog generation now served (increases by one per applied reload).</summary>
    public required long Generation { get; init; }

    /// <summary>Every plugin of the new generation.</summary>
    public required IReadOnlyList<PluginInfo> Plugins { get; init; }

    /// <summary>
    /// The plugins (as they were) whose load context is being unloaded: removed, disabled, changed on disk, or now failing.
    /// Dispose every adapter and backend created from them before returning from the callback.
    /// </summary>
    public required IReadOnlyList<PluginInfo> Retired { get; init; }

    /// <summary>The channel kinds served by <see cref="Retired"/> plugins: dispose adapters of these kinds (re-create them from the catalog when still served).</summary>
    public required IReadOnlySet<string> RetiredChannelKinds { get; init; }

    /// <summary>The agent kinds served by <see cref="Retired"/> plugins: dispose backends of these kinds (re-create them from the catalog when still served).</summary>
    public required IReadOnlySet<string> RetiredAgentKinds { get; init; }
}
