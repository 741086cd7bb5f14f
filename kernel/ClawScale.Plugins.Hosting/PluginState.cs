namespace ClawScale.Plugins.Hosting;

/// <summary>The state of one plugin in the catalog.</summary>
public enum PluginState
{
    /// <summary>Loaded: its factories are in the catalog.</summary>
    Loaded = 1,

    /// <summary>Could not be loaded; <see cref="PluginInfo.Error"/> says why and what to do. Its kinds are not served.</summary>
    Failed = 2,

    /// <summary>Listed but not loaded (<c>"enabled": false</c> in plugins.json).</summary>
    Unloaded = 3,
}
