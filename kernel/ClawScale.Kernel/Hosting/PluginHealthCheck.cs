using ClawScale.Plugins.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClawScale.Kernel.Hosting;

/// <summary>
/// Health of the plugins (readiness): Unhealthy until the plugin host's first load has finished; then Degraded (the
/// kernel serves, some channels or agents do not) when a plugin failed to load or plugins.json was rejected, with what
/// failed in the description; Healthy otherwise. A failed plugin does not make the kernel unready: every instance would
/// fail it alike, and the channels and agents of the other plugins must go on being served.
/// </summary>
internal sealed class PluginHealthCheck(IPluginCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!catalog.IsLoaded) return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "The plugins are being loaded."));
        var failed = catalog.GetPlugins().Where(p => p.State == PluginState.Failed).Select(p => $"{p.Name}: {p.Error}").ToList();
        failed.AddRange(catalog.ManifestErrors.Select(e => "plugins.json: " + e));
        return Task.FromResult(failed.Count == 0
            ? HealthCheckResult.Healthy($"{catalog.GetPlugins().Count(p => p.State == PluginState.Loaded)} plugins loaded")
            : HealthCheckResult.Degraded(string.Join("; ", failed)));
    }
}
