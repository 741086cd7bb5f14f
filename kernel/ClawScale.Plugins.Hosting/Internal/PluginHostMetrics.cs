using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ClawScale.Plugins.Hosting.Internal;

/// <summary>The plugin host's instruments on <see cref="PluginHostTelemetry.MeterName"/> (documented there).</summary>
internal sealed class PluginHostMetrics
{
    public const string Load = "load";
    public const string Conflict = "conflict";
    public const string DuplicateName = "duplicate_name";
    public const string Manifest = "manifest";

    private readonly Counter<long>? _loadFailures;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>; without a factory nothing is recorded.</summary>
    public PluginHostMetrics(IMeterFactory? meters)
    {
        _loadFailures = meters?.Create(PluginHostTelemetry.MeterName).CreateCounter<long>("clawscale.plugin.load_failures", "{failure}",
            "Plugins that a reload could not serve, by plugin name and reason (load, conflict, duplicate_name, manifest).");
    }

    /// <summary>Counts a plugin (or, for <see cref="Manifest"/>, plugins.json) that failed for <paramref name="reason"/>.</summary>
    public void LoadFailed(string? pluginName, string reason)
    {
        if (_loadFailures is null) return;
        var tags = new TagList { { "clawscale.reason", reason } };
        if (pluginName is not null) tags.Add("clawscale.plugin.name", pluginName);
        _loadFailures.Add(1, tags);
    }
}
