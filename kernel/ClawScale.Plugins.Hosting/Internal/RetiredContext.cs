namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>An unloaded plugin load context, kept weakly to delete its shadow copy once collected and for tests.</summary>
/// <param name="PluginName">The plugin.</param>
/// <param name="LoadGeneration">The generation that loaded it.</param>
/// <param name="Context">A weak reference to the load context.</param>
/// <param name="ShadowFolder">Its shadow copy.</param>
internal sealed record RetiredContext(string PluginName, long LoadGeneration, WeakReference Context, string ShadowFolder);
