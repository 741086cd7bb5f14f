using System.Reflection;
using ClawScale.Plugins.Hosting.Tests.Infrastructure;

namespace ClawScale.Plugins.Hosting.Tests;

/// <summary>The template plugin, built by the repository's plugins/Directory.Build.props, loads and works as documented.</summary>
public sealed class TemplatePluginTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clawscale-plugin-tests", Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task The_template_plugin_from_artifacts_loads_without_its_own_sdk_copy_and_upper_cases()
    {
        var sources = typeof(TemplatePluginTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestPluginsSource").Value!;
        var artifact = Path.GetFullPath(Path.Combine(sources, "..", "..", "..", "artifacts", "plugins", "ClawScale.Plugins.Template"));
        Assert.False(File.Exists(Path.Combine(artifact, "ClawScale.Plugins.Abstractions.dll")), "the SDK must not be copied into a plugin folder");
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "plugins.json"), $$"""{ "plugins": [ { "name": "template", "path": "{{artifact.Replace('\\', '/')}}" } ] }""");
        using var catalog = new Hosting.Internal.PluginCatalog(
            Microsoft.Extensions.Options.Options.Create(new PluginHostOptions { ContentRoot = _root, ShadowCopyDirectory = Path.Combine(_root, "shadow") }),
            new TestLoggerProvider().CreateLogger<Hosting.Internal.PluginCatalog>(), TimeProvider.System);

        var result = await catalog.ReloadAsync(CancellationToken.None);

        Assert.Equal(PluginState.Loaded, Assert.Single(result.Plugins).State);
        Assert.Equal("HELLO, WORLD", await PluginCalls.AskAgentAsync(catalog, "template-upper", "Hello, world"));
        Assert.True(catalog.TryGetAgentFactory("template-upper", out var factory));
        Assert.Equal(["config.prefix must be at most 32 characters"],
            factory.Validate(new Dictionary<string, string> { ["prefix"] = new string('x', 33) }, new Dictionary<string, string>()));
    }
}
