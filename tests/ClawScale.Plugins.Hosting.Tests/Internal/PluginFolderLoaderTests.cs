using System.Runtime.InteropServices;
using System.Runtime.Loader;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Hosting.Tests.Infrastructure;

namespace ClawScale.Plugins.Hosting.Tests.Internal;

/// <summary>
/// What the host relies on from McMaster.NETCore.Plugins underneath PluginFolderLoader: one collectible context per plugin
/// built from the shadow copy, an explicit shared set (the SDK and Microsoft.Extensions.*.Abstractions), private
/// dependencies in any version, native libraries from the plugin's deps.json, and unloads that really collect.
/// </summary>
[Collection(PluginCollection.Name)]
public sealed class PluginFolderLoaderTests(TestPluginBuild build) : IDisposable
{
    private readonly PluginWorkspace _workspace = new(build);

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Each_plugin_gets_its_own_collectible_context_loaded_from_the_shadow_copy_and_creates_host_sdk_types()
    {
        _workspace.Drop("GoodPlugin", "first");
        _workspace.Drop("GoodPluginV2", "second");
        _workspace.WriteManifestText("{ \"plugins\": [] }");
        using var catalog = _workspace.CreateCatalog();
        var result = await catalog.ReloadAsync(CancellationToken.None);

        // Both serve the same kinds: the second fails on the conflict, but only after loading in its own context.
        Assert.Equal([PluginState.Loaded, PluginState.Failed], result.Plugins.Select(p => p.State));
        Assert.True(catalog.TryGetChannelFactory("test-loop", out var factory));
        var adapter = factory.Create(PluginCalls.ChannelContext());
        await using (adapter)
        {
            IChannelAdapter asHostType = adapter;
            Assert.NotNull(asHostType);
            Assert.Same(typeof(IChannelAdapter), adapter.GetType().GetInterface(nameof(IChannelAdapter)));
            var context = AssemblyLoadContext.GetLoadContext(adapter.GetType().Assembly)!;
            Assert.True(context.IsCollectible);
            var location = adapter.GetType().Assembly.Location;
            Assert.StartsWith(Path.Combine(_workspace.Root, "shadow"), location, StringComparison.Ordinal);
            Assert.DoesNotContain(context.Assemblies, a => a.GetName().Name == "ClawScale.Plugins.Abstractions");
        }
    }

    [Fact]
    public async Task A_private_dependency_older_than_the_hosts_copy_loads_side_by_side_too()
    {
        _workspace.Drop("OlderDepPlugin");
        using var catalog = _workspace.CreateCatalog();
        await catalog.ReloadAsync(CancellationToken.None);

        Assert.Equal("1.0.0.0", VersionedDep.Marker.AssemblyVersion);
        Assert.Equal(PluginState.Loaded, Assert.Single(catalog.GetPlugins()).State);
        Assert.Equal("0.5.0.0", await PluginCalls.AskAgentAsync(catalog, "test-private-dep", "version?"));
    }

    [Fact]
    public async Task A_copy_of_a_microsoft_extensions_abstractions_assembly_shipped_by_a_plugin_is_ignored_for_the_hosts()
    {
        _workspace.Drop("ShipsAbstractionsPlugin");
        Assert.True(File.Exists(Path.Combine(_workspace.PluginsDirectory, "ShipsAbstractionsPlugin", "Microsoft.Extensions.DependencyInjection.Abstractions.dll")));
        using var catalog = _workspace.CreateCatalog();
        await catalog.ReloadAsync(CancellationToken.None);

        Assert.Equal(PluginState.Loaded, Assert.Single(catalog.GetPlugins()).State);
        var hostVersion = typeof(Microsoft.Extensions.DependencyInjection.ServiceDescriptor).Assembly.GetName().Version;
        Assert.Equal($"default:{hostVersion}", await PluginCalls.AskAgentAsync(catalog, "test-ships-abstractions", "where?"));
    }

    [Fact]
    public async Task A_native_library_of_a_plugin_loads_from_the_plugins_own_folder_and_the_context_still_unloads()
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        var built = build.PluginFolder("NativeDepPlugin");
        Assert.True(Directory.Exists(Path.Combine(built, "runtimes", rid, "native")),
            $"the plugin build copies runtimes/{rid}/native/ into the plugin folder");
        var path = _workspace.AddArtifact("NativeDepPlugin");
        _workspace.WriteManifest(("native", path));
        using var catalog = _workspace.CreateCatalog();
        await catalog.ReloadAsync(CancellationToken.None);

        Assert.Equal(PluginState.Loaded, Assert.Single(catalog.GetPlugins()).State);
        Assert.Equal("ed25519:64:True", await PluginCalls.AskAgentAsync(catalog, "test-native", "sign me"));
        if (File.Exists("/proc/self/maps"))
        {
            var maps = await File.ReadAllLinesAsync("/proc/self/maps");
            Assert.Contains(maps, line => line.Contains("libsodium", StringComparison.Ordinal)
                && line.Contains(Path.Combine(_workspace.Root, "shadow"), StringComparison.Ordinal));
        }

        var weak = catalog.GetLoadContextReference("native")!;
        _workspace.WriteManifestText($$"""{ "plugins": [ { "name": "native", "path": "{{path}}", "enabled": false } ] }""");
        await catalog.ReloadAsync(CancellationToken.None);
        await Eventually.WaitUntilCollectedAsync(weak, "the native plugin's load context is collected");
    }

    [Fact]
    public async Task Every_reload_of_a_changed_plugin_unloads_the_previous_context()
    {
        _workspace.Drop("GoodPlugin");
        using var catalog = _workspace.CreateCatalog();
        await catalog.ReloadAsync(CancellationToken.None);
        var references = new List<WeakReference> { catalog.GetLoadContextReference("GoodPlugin")! };

        foreach (var variant in new[] { "GoodPluginV2", "GoodPlugin", "GoodPluginV2" })
        {
            PluginWorkspace.CopyFolder(build.PluginFolder(variant), Path.Combine(_workspace.PluginsDirectory, "GoodPlugin"));
            File.SetLastWriteTimeUtc(Path.Combine(_workspace.PluginsDirectory, "GoodPlugin", "GoodPlugin.dll"), DateTime.UtcNow.AddSeconds(references.Count));
            await catalog.ReloadAsync(CancellationToken.None);
            references.Add(catalog.GetLoadContextReference("GoodPlugin")!);
        }

        Assert.Equal(4, catalog.Generation);
        Assert.Equal("v2:a", await PluginCalls.AskAgentAsync(catalog, "test-echo", "a"));
        foreach (var reference in references.Take(3))
        {
            await Eventually.WaitUntilCollectedAsync(reference, "a replaced build's load context is collected");
        }

        Assert.True(references[3].IsAlive);
    }
}
