using ClawScale.Plugins.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClawScale.Kernel.Hosting;

/// <summary>
/// Health of the plugins: Degraded (the kernel serves, some channels or agents do not) when a plugin failed to load
/// or plugins.json was rejected, with what failed in the description; Healthy otherwise.
/// </summary>
internal sealed class PluginHealthCheck(IPluginCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failed = catalog.GetPlugins().Where(p => p.State == PluginState.Failed).Select(p => $"{p.Name}: {p.Error}").ToList();
        failed.AddRange(catalog.ManifestErrors.Select(e => "plugins.json: " + e));
        return Task.FromResult(failed.Count == 0
            ? HealthCheckResult.Healthy($"{catalog.GetPlugins().Count(p => p.State == PluginState.Loaded)} plugins loaded")
            : HealthCheckResult.Degraded(string.Join("; ", failed)));
    }
}
