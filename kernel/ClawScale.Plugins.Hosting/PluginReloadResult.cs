namespace ClawScale.Plugins.Hosting;

/// <summary>The outcome of <see cref="IPluginCatalog.ReloadAsync"/>.</summary>
public sealed record PluginReloadResult
{
    /// <summary>
    /// <see langword="true"/> when plugins.json was valid and the new set is served (individual plugins may still be
    /// <see cref="PluginState.Failed"/>); <see langword="false"/> when the manifest was rejected and the last good set is kept.
    /// </summary>
    public required bool Applied { get; init; }

    /// <summary>Every plugins.json error found (empty when <see cref="Applied"/>), each naming the entry and what to fix.</summary>
    public required IReadOnlyList<string> ManifestErrors { get; init; }

    /// <summary>The catalog generation served after the reload.</summary>
    public required long Generation { get; init; }

    /// <summary>The plugins served after the reload (the new set, or the kept last good set).</summary>
    public required IReadOnlyList<PluginInfo> Plugins { get; init; }
}
