namespace ClawScale.Plugins.Hosting;

/// <summary>Where the host learned about a plugin.</summary>
public enum PluginOrigin
{
    /// <summary>An entry of plugins.json.</summary>
    Manifest = 1,

    /// <summary>A folder dropped into the plugins directory.</summary>
    Directory = 2,
}
