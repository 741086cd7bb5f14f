namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>A plugin to load: a validated plugins.json entry or a folder of the plugins directory.</summary>
/// <param name="Name">The plugin name.</param>
/// <param name="Origin">Where it was found.</param>
/// <param name="Folder">The absolute plugin folder.</param>
/// <param name="AssemblyFileName">The explicit main assembly file name, or <see langword="null"/> to apply the naming rule.</param>
/// <param name="Enabled">Whether to load it.</param>
internal sealed record PluginSource(string Name, PluginOrigin Origin, string Folder, string? AssemblyFileName, bool Enabled);
