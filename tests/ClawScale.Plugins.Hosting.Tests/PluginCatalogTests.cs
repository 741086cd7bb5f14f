using System.Runtime.Loader;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Hosting.Internal;
using ClawScale.Plugins.Hosting.Tests.Infrastructure;

namespace ClawScale.Plugins.Hosting.Tests;

[Collection(PluginCollection.Name)]
public sealed class PluginCatalogTests(TestPluginBuild build) : IDisposable
{
    private readonly PluginWorkspace _workspace = new(build);

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Loads_a_plugin_listed_in_plugins_json_and_serves_its_channel_and_agent()
    {
        _workspace.WriteManifest(("good", _workspace.AddArtifact("GoodPlugin")));
        using var catalog = _workspace.CreateCatalog();

        var result = await catalog.ReloadAsync(CancellationToken.None);

        Assert.True(result.Applied);
        var plugin = Assert.Single(result.Plugins);
        Assert.Equal(PluginState.Loaded, plugin.State);
        Assert.Equal(PluginOrigin.Manifest, plugin.Origin);
        Assert.Equal(["test-loop"], plugin.ChannelKinds);
        Assert.Equal(["test-echo"], plugin.AgentKinds);
        Assert.EndsWith("GoodPlugin.dll", plugin.SourcePath, StringComparison.Ordinal);
        Assert.NotNull(plugin.Version);
        Assert.NotNull(plugin.LoadedAt);
        Assert.Equal(1, catalog.Generation);
        Assert.Equal("v1:hello", await PluginCalls.AskAgentAsync(catalog, "test-echo", "hello"));
        Assert.Equal("v1:hi", await PluginCalls.SendAsync(catalog, "TEST-LOOP", "hi"));
        Assert.True(catalog.TryGetAgentFactory("test-echo", out _, out var owner));
        Assert.Equal("good", owner.Name);
        Assert.False(catalog.TryGetChannelFactory("unknown", out _));
    }

    [Fact]
    public async Task Loads_a_folder_dropped_into_the_plugins_directory_without_a_manifest()
    {
        _workspace.Drop("GoodPlugin", "dropped");
        using var catalog = _workspace.CreateCatalog();

        var result = await catalog.ReloadAsync(CancellationToken.None);

        var plugin = Assert.Single(result.Plugins);
        Assert.Equal(("dropped", PluginOrigin.Directory, PluginState.Loaded), (plugin.Name, plugin.Origin, plugin.State));
        Assert.Equal("v1:x", await PluginCalls.AskAgentAsync(catalog, "test-echo", "x"));
    }

    [Fact]
    public async Task Objects_from_a_plugin_are_the_hosts_sdk_types_while_the_plugin_lives_in_its_own_context()
    {
        _workspace.Drop("GoodPlugin");
        using var catalog = _workspace.CreateCatalog();
        await catalog.ReloadAsync(CancellationToken.None);

        Assert.True(catalog.TryGetChannelFactory("test-loop", out var factory));
        await using var adapter = factory.Create(PluginCalls.ChannelContext());

        Assert.IsAssignableFrom<IChannelAdapter>(adapter);
        var pluginContext = AssemblyLoadContext.GetLoadContext(adapter.GetType().Assembly);
        Assert.NotNull(pluginContext);
        Assert.True(pluginContext.IsCollectible);
        Assert.NotSame(AssemblyLoadContext.Default, pluginContext);
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(typeof(IChannelAdapter).Assembly));
        Assert.DoesNotContain(pluginContext.Assemblies, a => a.GetName().Name == "ClawScale.Plugins.Abstractions");
        Assert.Equal(["config.token is required"], factory.Validate(new Dictionary<string, string>(), new Dictionary<string, string>()));
        Assert.Equal("v1", (await adapter.HandleWebhookAsync(new WebhookRequest { Method = "POST", Headers = new Dictionary<string, string>() }, CancellationToken.None)).Reason);
    }

    [Fact]
    public async Task A_plugin_with_a_private_dependency_in_another_version_than_the_hosts_loads_its_own_copy()
    {
        _workspace.Drop("PrivateDepPlugin");
        using var catalog = _workspace.CreateCatalog();
        await catalog.ReloadAsync(CancellationToken.None);

        Assert.Equal("1.0.0.0", VersionedDep.Marker.AssemblyVersion);
        Assert.Equal(PluginState.Loaded, Assert.Single(catalog.GetPlugins()).State);
        Assert.Equal("2.0.0.0", await PluginCalls.AskAgentAsync(catalog, "test-private-dep", "version?"));
    }

    [Fact]
    public async Task Broken_plugins_are_reported_failed_with_a_clear_error_and_the_others_keep_working()
    {
        _workspace.WriteManifest(
            ("throws", _workspace.AddArtifact("ThrowingPlugin")),
            ("missing-dep", _workspace.AddArtifact("MissingDepPlugin")),
            ("not-built", "artifacts/DoesNotExist"),
            ("good", _workspace.AddArtifact("GoodPlugin")));
        Directory.CreateDirectory(Path.Combine(_workspace.PluginsDirectory, "empty-folder"));
        File.WriteAllText(Path.Combine(_workspace.PluginsDirectory, "not-dotnet.dll"), "not a folder: ignored");
        Directory.CreateDirectory(Path.Combine(_workspace.PluginsDirectory, "garbage"));
        File.WriteAllText(Path.Combine(_workspace.PluginsDirectory, "garbage", "garbage.dll"), "not an assembly");
        using var catalog = _workspace.CreateCatalog();

        var result = await catalog.ReloadAsync(CancellationToken.None);

        Assert.True(result.Applied);
        var byName = result.Plugins.ToDictionary(p => p.Name);
        Assert.Equal(6, byName.Count);
        Assert.Equal(PluginState.Failed, byName["throws"].State);
        Assert.Contains("boom from the factory constructor", byName["throws"].Error, StringComparison.Ordinal);
        Assert.Contains("ThrowingAgentFactory", byName["throws"].Error, StringComparison.Ordinal);
        Assert.Equal(PluginState.Failed, byName["missing-dep"].State);
        Assert.Contains("MissingDepHelper", byName["missing-dep"].Error, StringComparison.Ordinal);
        Assert.Equal(PluginState.Failed, byName["not-built"].State);
        Assert.Contains("does not exist", byName["not-built"].Error, StringComparison.Ordinal);
        Assert.Equal(PluginState.Failed, byName["empty-folder"].State);
        Assert.Contains("no main assembly", byName["empty-folder"].Error, StringComparison.Ordinal);
        Assert.Equal(PluginState.Failed, byName["garbage"].State);
        Assert.Contains("not a loadable .NET assembly", byName["garbage"].Error, StringComparison.Ordinal);
        Assert.Equal(PluginState.Loaded, byName["good"].State);
        Assert.Equal("v1:still here", await PluginCalls.AskAgentAsync(catalog, "test-echo", "still here"));
        Assert.False(catalog.TryGetAgentFactory("test-throws", out _));
        Assert.Contains(_workspace.Logs.Entries, e => e.EventId.Id == 4101 && e.Message.Contains("throws", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_duplicate_kind_fails_the_later_plugin_only()
    {
        _workspace.WriteManifest(("good", _workspace.AddArtifact("GoodPlugin")), ("second", _workspace.AddArtifact("DuplicateKindPlugin")));
        using var catalog = _workspace.CreateCatalog();

        var result = await catalog.ReloadAsync(CancellationToken.None);

        Assert.Equal(PluginState.Loaded, result.Plugins[0].State);
        Assert.Equal(PluginState.Failed, result.Plugins[1].State);
        Assert.Contains("\"test-echo\" is already served by the plugin \"good\"", result.Plugins[1].Error, StringComparison.Ordinal);
        Assert.Equal("v1:a", await PluginCalls.AskAgentAsync(catalog, "test-echo", "a"));
    }

    [Fact]
    public async Task An_invalid_manifest_reports_every_error_and_keeps_the_last_good_set()
    {
        _workspace.WriteManifest(("good", _workspace.AddArtifact("GoodPlugin")));
        using var catalog = _workspace.CreateCatalog();
        var first = await catalog.ReloadAsync(CancellationToken.None);
        _workspace.WriteManifestText("""
            { "plugins": [
                { "path": "artifacts/GoodPlugin" },
                { "name": "a" },
                { "name": "b", "path": "x", "enabled": "yes", "comment": "unknown fields are fine" },
                { "name": "B", "path": "y" }
            ] }
            """);

        var result = await catalog.ReloadAsync(CancellationToken.None);

        Assert.False(result.Applied);
        Assert.Equal(4, result.ManifestErrors.Count);
        Assert.Contains("plugins[0]: \"name\" is required.", result.ManifestErrors);
        Assert.Contains("plugins[1] (\"a\"): \"path\" is required.", result.ManifestErrors);
        Assert.Contains("plugins[2] (\"b\"): \"enabled\" must be true or false.", result.ManifestErrors);
        Assert.Contains(result.ManifestErrors, e => e.StartsWith("plugins[3] (\"B\"): the name \"B\" is already used by plugins[2]", StringComparison.Ordinal));
        Assert.Equal(result.ManifestErrors, catalog.ManifestErrors);
        Assert.Equal(first.Generation, result.Generation);
        Assert.Same(first.Plugins, catalog.GetPlugins());
        Assert.Equal("v1:kept", await PluginCalls.AskAgentAsync(catalog, "test-echo", "kept"));
        Assert.Contains(_workspace.Logs.Entries, e => e.EventId.Id == 4103);

        _workspace.WriteManifestText("{ \"plugins\": [ }");
        var syntax = await catalog.ReloadAsync(CancellationToken.None);
        Assert.False(syntax.Applied);
        Assert.StartsWith("plugins.json is not valid JSON", Assert.Single(syntax.ManifestErrors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reload_without_changes_keeps_the_same_generation_and_load_contexts()
    {
        _workspace.Drop("GoodPlugin");
        using var catalog = _workspace.CreateCatalog();
        var first = await catalog.ReloadAsync(CancellationToken.None);
        var changes = 0;
        using var registration = catalog.OnChange((_, _) =>
        {
            changes++;
            return ValueTask.CompletedTask;
        });

        var second = await catalog.ReloadAsync(CancellationToken.None);

        Assert.Equal(first.Generation, second.Generation);
        Assert.Equal(0, changes);
        Assert.Same(first.Plugins, second.Plugins);
    }

    [Fact]
    public async Task Disabling_a_plugin_retires_it_notifies_before_unloading_and_its_load_context_is_collected()
    {
        var path = _workspace.AddArtifact("GoodPlugin");
        _workspace.WriteManifest(("good", path));
        using var catalog = _workspace.CreateCatalog();
        await catalog.ReloadAsync(CancellationToken.None);
        Assert.Equal("v1:a", await PluginCalls.AskAgentAsync(catalog, "test-echo", "a"));
        var weak = catalog.GetLoadContextReference("good")!;
        PluginCatalogChange? seen = null;
        var aliveDuringCallback = false;
        using var registration = catalog.OnChange((change, _) =>
        {
            seen = change;
            aliveDuringCallback = weak.IsAlive;
            return ValueTask.CompletedTask;
        });
        _workspace.WriteManifestText($$"""{ "plugins": [ { "name": "good", "path": "{{path}}", "enabled": false } ] }""");

        var result = await catalog.ReloadAsync(CancellationToken.None);

        Assert.Equal(PluginState.Unloaded, Assert.Single(result.Plugins).State);
        Assert.NotNull(seen);
        Assert.Equal(result.Generation, seen.Generation);
        Assert.Equal("good", Assert.Single(seen.Retired).Name);
        Assert.Contains("test-echo", seen.RetiredAgentKinds);
        Assert.Contains("test-loop", seen.RetiredChannelKinds);
        Assert.True(aliveDuringCallback);
        Assert.False(catalog.TryGetAgentFactory("test-echo", out _));
        await Eventually.WaitUntilCollectedAsync(weak, "the retired plugin's load context is collected");
    }

    [Fact]
    public async Task Replacing_a_plugin_folder_loads_the_new_build_and_unloads_the_old_one()
    {
        _workspace.Drop("GoodPlugin");
        using var catalog = _workspace.CreateCatalog();
        await catalog.ReloadAsync(CancellationToken.None);
        Assert.Equal("v1:a", await PluginCalls.AskAgentAsync(catalog, "test-echo", "a"));
        var weak = catalog.GetLoadContextReference("GoodPlugin")!;

        PluginWorkspace.CopyFolder(build.PluginFolder("GoodPluginV2"), Path.Combine(_workspace.PluginsDirectory, "GoodPlugin"));
        var result = await catalog.ReloadAsync(CancellationToken.None);

        Assert.Equal(2, result.Generation);
        Assert.Equal(2, Assert.Single(result.Plugins).LoadGeneration);
        Assert.Equal("v2:a", await PluginCalls.AskAgentAsync(catalog, "test-echo", "a"));
        Assert.Equal("v2:b", await PluginCalls.SendAsync(catalog, "test-loop", "b"));
        await Eventually.WaitUntilCollectedAsync(weak, "the first build's load context is collected");
    }

    [Fact]
    public async Task A_missing_manifest_and_plugins_directory_are_not_errors()
    {
        using var catalog = _workspace.CreateCatalog();

        var result = await catalog.ReloadAsync(CancellationToken.None);

        Assert.True(result.Applied);
        Assert.Empty(result.Plugins);
        Assert.True(Directory.Exists(_workspace.PluginsDirectory));
        Assert.Contains(_workspace.Logs.Entries, e => e.EventId.Id == 4104);
    }
}
