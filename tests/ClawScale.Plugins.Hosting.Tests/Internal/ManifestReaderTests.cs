using ClawScale.Plugins.Hosting.Internal;

namespace ClawScale.Plugins.Hosting.Tests.Internal;

public sealed class ManifestReaderTests
{
    private static readonly string Base = Path.Combine(Path.GetTempPath(), "manifest-base");

    [Fact]
    public void Reads_entries_in_order_with_defaults_and_ignores_unknown_fields()
    {
        var result = ManifestReader.Parse("""
            {
              // comments and trailing commas are accepted
              "plugins": [
                { "name": "telegram", "path": "artifacts/plugins/ClawScale.Plugins.Telegram", "future": 1 },
                { "name": "echo", "path": "plugins/echo/Echo.dll", "enabled": false },
                { "name": "named", "path": "x", "assembly": "Named.Plugin.dll" },
              ],
              "version": 2
            }
            """, Base);

        Assert.Empty(result.Errors);
        Assert.Equal(
            [
                new PluginSource("telegram", PluginOrigin.Manifest, Path.Combine(Base, "artifacts", "plugins", "ClawScale.Plugins.Telegram"), null, true),
                new PluginSource("echo", PluginOrigin.Manifest, Path.Combine(Base, "plugins", "echo"), "Echo.dll", false),
                new PluginSource("named", PluginOrigin.Manifest, Path.Combine(Base, "x"), "Named.Plugin.dll", true),
            ],
            result.Entries);
    }

    [Fact]
    public void Reports_every_error_at_once_and_returns_no_entries()
    {
        var result = ManifestReader.Parse("""
            { "plugins": [
                42,
                { "name": "", "path": "a" },
                { "name": "a/b", "path": 3 },
                { "name": "ok", "path": "p", "assembly": "../evil.dll" },
                { "name": "x.dll", "path": "p/x.dll", "assembly": "y.dll" }
            ] }
            """, Base);

        Assert.Empty(result.Entries);
        Assert.Equal(
            [
                "plugins[0] must be an object with \"name\" and \"path\".",
                "plugins[1]: \"name\" must be a non-empty string.",
                "plugins[2] (\"a/b\"): \"path\" must be a non-empty string.",
                "plugins[2] (\"a/b\"): \"name\" must be usable as a folder name (no path separators, no leading or trailing spaces).",
                "plugins[3] (\"ok\"): \"assembly\" must be a .dll file name inside the plugin folder, for example \"MyPlugin.dll\".",
                "plugins[4] (\"x.dll\"): give either a .dll \"path\" or an \"assembly\", not both.",
            ],
            result.Errors);
    }

    [Theory]
    [InlineData("[]", "plugins.json must be an object")]
    [InlineData("{ \"plugins\": {} }", "plugins.json: \"plugins\" must be an array")]
    [InlineData("{ \"plugins\": [", "plugins.json is not valid JSON")]
    public void Rejects_a_wrong_shape(string json, string expected)
    {
        var error = Assert.Single(ManifestReader.Parse(json, Base).Errors);

        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_without_plugins_and_a_missing_file_mean_no_plugins()
    {
        Assert.Empty(ManifestReader.Parse("{}", Base).Entries);
        var missing = ManifestReader.Read(Path.Combine(Base, Guid.NewGuid().ToString("N"), "plugins.json"));
        Assert.False(missing.Exists);
        Assert.Empty(missing.Errors);
    }
}
