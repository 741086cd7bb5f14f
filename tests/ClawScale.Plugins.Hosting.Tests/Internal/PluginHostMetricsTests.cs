using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ClawScale.Plugins.Hosting.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Plugins.Hosting.Tests.Internal;

[Collection(PluginCollection.Name)]
public sealed class PluginHostMetricsTests(TestPluginBuild build) : IDisposable
{
    private readonly PluginWorkspace _workspace = new(build);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        _services.Dispose();
        _workspace.Dispose();
    }

    [Fact]
    public async Task Load_failures_are_counted_by_plugin_and_reason_and_the_catalog_says_when_it_has_loaded()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        var failures = new ConcurrentQueue<(string? Plugin, string? Reason)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this test's factory: other tests' catalogs count on meters of the same name.
            if (instrument.Meter.Scope == meters && instrument.Name == "clawscale.plugin.load_failures") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var map = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            for (var i = 0; i < value; i++) failures.Enqueue((map.GetValueOrDefault("clawscale.plugin.name"), map.GetValueOrDefault("clawscale.reason")));
        });
        listener.Start();
        _workspace.WriteManifest(
            ("not-built", "artifacts/DoesNotExist"),
            ("good", _workspace.AddArtifact("GoodPlugin")),
            ("second", _workspace.AddArtifact("DuplicateKindPlugin")));
        using var catalog = _workspace.CreateCatalog(meters);
        Assert.False(catalog.IsLoaded);

        await catalog.ReloadAsync(CancellationToken.None);

        Assert.True(catalog.IsLoaded);
        Assert.Equal([("not-built", "load"), ("second", "conflict")], failures.OrderBy(f => f.Plugin, StringComparer.Ordinal).ToList());

        _workspace.WriteManifestText("{ \"plugins\": [ }");
        await catalog.ReloadAsync(CancellationToken.None);
        Assert.Contains((null, "manifest"), failures);
        Assert.True(catalog.IsLoaded);
    }
}
