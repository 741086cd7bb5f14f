using ClawScale.Plugins.Hosting.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClawScale.Plugins.Hosting.Tests;

/// <summary>The full host as the kernel registers it: start, watch, debounced hot reload, stop.</summary>
[Collection(PluginCollection.Name)]
public sealed class PluginHostServiceTests(TestPluginBuild build) : IAsyncLifetime
{
    private readonly PluginWorkspace _workspace = new(build);
    private ServiceProvider? _services;
    private List<IHostedService> _hosted = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var hosted in _hosted)
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        _workspace.Dispose();
    }

    private async Task<IPluginCatalog> StartAsync()
    {
        var options = _workspace.Options(watch: true);
        _services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(_workspace.Logs).SetMinimumLevel(LogLevel.Debug))
            .AddClawScalePluginHost(o =>
            {
                o.ContentRoot = options.ContentRoot;
                o.ShadowCopyDirectory = options.ShadowCopyDirectory;
                o.ReloadDebounce = options.ReloadDebounce;
            })
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _hosted = [.. _services.GetServices<IHostedService>()];
        foreach (var hosted in _hosted)
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return _services.GetRequiredService<IPluginCatalog>();
    }

    [Fact]
    public async Task Rebuilt_plugin_dropped_over_the_old_one_is_picked_up_without_a_restart_and_the_old_one_unloads()
    {
        _workspace.Drop("GoodPlugin");
        var catalog = await StartAsync();
        Assert.Equal("v1:a", await PluginCalls.AskAgentAsync(catalog, "test-echo", "a"));
        var weak = ((Hosting.Internal.PluginCatalog)catalog).GetLoadContextReference("GoodPlugin")!;
        var retiredKinds = new List<string>();
        using var registration = catalog.OnChange((change, _) =>
        {
            lock (retiredKinds)
            {
                retiredKinds.AddRange(change.RetiredAgentKinds);
            }

            return ValueTask.CompletedTask;
        });

        PluginWorkspace.CopyFolder(build.PluginFolder("GoodPluginV2"), Path.Combine(_workspace.PluginsDirectory, "GoodPlugin"));

        await Eventually.WaitUntilAsync(async () => await PluginCalls.AskAgentAsync(catalog, "test-echo", "a") == "v2:a",
            "the watcher reloads the rebuilt plugin");
        lock (retiredKinds)
        {
            Assert.Contains("test-echo", retiredKinds);
        }

        await Eventually.WaitUntilCollectedAsync(weak, "the old build's load context is collected");
    }

    [Fact]
    public async Task Editing_plugins_json_adds_and_removes_plugins_and_a_broken_edit_keeps_the_last_good_set()
    {
        var good = _workspace.AddArtifact("GoodPlugin");
        var privateDep = _workspace.AddArtifact("PrivateDepPlugin");
        _workspace.WriteManifest(("good", good));
        var catalog = await StartAsync();
        Assert.Equal(PluginState.Loaded, Assert.Single(catalog.GetPlugins()).State);

        _workspace.WriteManifest(("good", good), ("private", privateDep));
        await Eventually.WaitUntilAsync(() => catalog.TryGetAgentFactory("test-private-dep", out _), "the new plugins.json entry is loaded");

        _workspace.WriteManifestText("{ \"plugins\": [ { \"name\": \"good\" } ] }");
        await Eventually.WaitUntilAsync(() => catalog.ManifestErrors.Count > 0, "the broken plugins.json is reported");
        Assert.Contains("plugins[0] (\"good\"): \"path\" is required.", catalog.ManifestErrors);
        Assert.Equal(2, catalog.GetPlugins().Count(p => p.State == PluginState.Loaded));

        _workspace.WriteManifest(("private", privateDep));
        await Eventually.WaitUntilAsync(() => !catalog.TryGetAgentFactory("test-echo", out _), "the removed entry is unloaded");
        Assert.Empty(catalog.ManifestErrors);
        Assert.Equal("2.0.0.0", await PluginCalls.AskAgentAsync(catalog, "test-private-dep", "v"));
    }

    [Fact]
    public async Task A_plugin_listed_in_plugins_json_is_reloaded_when_its_folder_is_rebuilt()
    {
        var good = _workspace.AddArtifact("GoodPlugin");
        _workspace.WriteManifest(("good", good));
        var catalog = await StartAsync();
        Assert.Equal("v1:z", await PluginCalls.SendAsync(catalog, "test-loop", "z"));

        PluginWorkspace.CopyFolder(build.PluginFolder("GoodPluginV2"), Path.Combine(_workspace.Root, good));

        await Eventually.WaitUntilAsync(async () => await PluginCalls.SendAsync(catalog, "test-loop", "z") == "v2:z",
            "the watcher of the listed folder reloads the rebuilt plugin");
    }

    [Fact]
    public void Invalid_options_are_reported_together_at_start()
    {
        using var services = new ServiceCollection()
            .AddLogging()
            .AddClawScalePluginHost(o =>
            {
                o.ManifestPath = " ";
                o.ReloadDebounce = TimeSpan.FromMinutes(5);
                o.CallTimeout = TimeSpan.Zero;
            })
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PluginHostOptions>>().Value);

        Assert.Equal(3, error.Failures.Count());
    }

    [Fact]
    public void Registering_twice_adds_one_host()
    {
        var services = new ServiceCollection().AddLogging().AddClawScalePluginHost().AddClawScalePluginHost();

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(IPluginCatalog));
        Assert.Single(services, d => d.ServiceType == typeof(IPluginInvoker));
    }
}
