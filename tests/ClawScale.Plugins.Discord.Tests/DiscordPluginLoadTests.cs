using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Discord.Tests.Support;
using ClawScale.Plugins.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ClawScale.Plugins.Discord.Tests;

/// <summary>
/// The plugin as the kernel runs it: its built folder (artifacts/plugins/ClawScale.Plugins.Discord, built by this
/// project's reference to the plugin) loaded through the plugin host's public API into its own load context, where
/// NSec must find the native libsodium shipped in the folder (runtimes/&lt;rid&gt;/native/, listed in its deps.json).
/// </summary>
public sealed class DiscordPluginLoadTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clawscale-discord-plugin-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task The_plugin_loaded_from_its_folder_verifies_signatures_with_the_libsodium_of_its_own_load_context()
    {
        var folder = PluginFolder();
        Assert.True(File.Exists(Path.Combine(folder, "ClawScale.Plugins.Discord.dll")), $"the plugin is not built in {folder}");
        Assert.True(File.Exists(Path.Combine(folder, "NSec.Cryptography.dll")), "NSec must be copied into the plugin folder");
        Assert.True(File.Exists(Path.Combine(folder, "runtimes", "linux-x64", "native", "libsodium.so")), "libsodium for linux-x64 must be in the plugin folder");
        Assert.Contains("runtimes/linux-x64/native/libsodium.so", File.ReadAllText(Path.Combine(folder, "ClawScale.Plugins.Discord.deps.json")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "ClawScale.Plugins.Abstractions.dll")), "the SDK must not be copied into a plugin folder");

        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "plugins.json"), $$"""{ "plugins": [ { "name": "discord", "path": "{{folder.Replace('\\', '/')}}" } ] }""");
        var services = new ServiceCollection()
            .AddLogging()
            .AddClawScalePluginHost(o =>
            {
                o.ContentRoot = _root;
                o.Watch = false;
                o.ShadowCopyDirectory = Path.Combine(_root, "shadow");
            });
        await using var provider = services.BuildServiceProvider();
        var catalog = provider.GetRequiredService<IPluginCatalog>();

        var loaded = await catalog.ReloadAsync(CancellationToken.None);

        var plugin = Assert.Single(loaded.Plugins);
        Assert.True(plugin.State == PluginState.Loaded, $"the plugin did not load: {plugin.State} {plugin.Error}");
        Assert.True(catalog.TryGetChannelFactory("discord", out var factory));
        var context = AssemblyLoadContext.GetLoadContext(factory.GetType().Assembly);
        Assert.NotNull(context);
        Assert.NotSame(AssemblyLoadContext.Default, context);
        Assert.NotSame(typeof(DiscordChannelAdapterFactory), factory.GetType());

        var key = new Ed25519TestKey();
        var otherKey = new Ed25519TestKey();
        using var http = new HttpClient();
        await using (var adapter = factory.Create(new ChannelContext
        {
            ChannelId = "ch_loaded",
            TenantId = "tn_test",
            Config = new Dictionary<string, string> { ["application_id"] = TestChannel.BotUserId, ["public_key"] = key.PublicKeyHex },
            Credentials = new Dictionary<string, string> { ["bot_token"] = TestChannel.Token },
            WebhookSecret = "unused-by-discord",
            HttpClient = http,
            Logger = NullLogger.Instance,
        }))
        {
            Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(adapter.GetType().Assembly));
            var ping = Payloads.Read("interaction_ping");
            // The adapter runs on the system clock here: a current timestamp (older ones are refused as replays).
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

            var accepted = await adapter.HandleWebhookAsync(key.Request(ping, now), CancellationToken.None);
            var forged = await adapter.HandleWebhookAsync(otherKey.Request(ping, now), CancellationToken.None);
            var malformed = await adapter.HandleWebhookAsync(key.Request(ping, now, signature: "zz"), CancellationToken.None);

            Assert.False(accepted.IsRejected);
            Assert.Equal(200, accepted.StatusCode);
            Assert.Equal("""{"type":1}""", Encoding.UTF8.GetString(accepted.ResponseBody.Span));
            foreach (var refused in new[] { forged, malformed })
            {
                Assert.True(refused.IsRejected);
                Assert.Equal(401, refused.StatusCode);
                Assert.Empty(refused.Messages);
            }
        }

        // NSec ran inside the plugin's load context, not as the test's own copy...
        var nsec = Assert.Single(context.Assemblies, a => a.GetName().Name == "NSec.Cryptography");
        Assert.NotSame(typeof(NSec.Cryptography.Key).Assembly, nsec);

        // ...and its libsodium was resolved by that context from the plugin's files (the folder or its shadow copy).
        // This test process has its own libsodium too (in its bin, for signing); had the plugin's context not resolved
        // the native library, the runtime would have fallen back to that copy, which this check tells apart.
        if (OperatingSystem.IsLinux())
        {
            var testBin = Path.GetFullPath(AppContext.BaseDirectory);
            var mapped = File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var at and >= 0 ? line[at..] : null)
                .Where(path => path is not null && Path.GetFileName(path).StartsWith("libsodium", StringComparison.Ordinal))
                .Distinct()
                .ToList();
            Assert.True(mapped.Any(path => !path!.StartsWith(testBin, StringComparison.Ordinal)),
                $"libsodium was not loaded from the plugin's files; mapped: {string.Join(", ", mapped)}");
        }
    }

    private static string PluginFolder()
    {
        var folder = typeof(DiscordPluginLoadTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "DiscordPluginFolder").Value!;
        return Path.GetFullPath(folder);
    }
}
