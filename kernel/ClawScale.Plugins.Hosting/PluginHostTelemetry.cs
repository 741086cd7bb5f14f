namespace ClawScale.Plugins.Hosting;

/// <summary>
/// The plugin host's instruments (System.Diagnostics.Metrics), for a host to export: add <see cref="MeterName"/> to its
/// OpenTelemetry meter provider. The meter is created through the container's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>
/// when one is registered (generic and web hosts register it).
/// </summary>
/// <remarks>
/// <c>clawscale.plugin.load_failures</c> (counter, <c>{failure}</c>): plugins that could not be served by a reload,
/// labelled <c>clawscale.plugin.name</c> and <c>clawscale.reason</c>: <c>load</c> (the folder, assembly or factories
/// failed), <c>conflict</c> (a kind another plugin already serves), <c>duplicate_name</c>, or <c>manifest</c> (plugins.json
/// was rejected; no plugin name). A plugin still failing is counted again at every reload that retries it.
/// </remarks>
public static class PluginHostTelemetry
{
    /// <summary>The name of the plugin host's meter.</summary>
    public const string MeterName = "ClawScale.Plugins.Hosting";
}
