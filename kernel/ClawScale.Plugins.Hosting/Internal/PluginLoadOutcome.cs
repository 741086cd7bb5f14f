namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>The result of loading one plugin: <see cref="Plugin"/> when loaded, otherwise <see cref="Failure"/>.</summary>
/// <param name="Plugin">The loaded plugin.</param>
/// <param name="Failure">The failed plugin's info, with its error.</param>
internal sealed record PluginLoadOutcome(LoadedPlugin? Plugin, PluginInfo? Failure);
