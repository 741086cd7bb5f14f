using ClawScale.Kernel.Hosting;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Tests.Hosting;

/// <summary>Start-up behaviour of the real host: configuration errors, first-start admin key, health.</summary>
public sealed class KernelStartupTests
{
    [Fact]
    public async Task Invalid_options_fail_start_with_every_error_listed()
    {
        var app = KernelApp.Create([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ClawScale:DataDirectory"] = Directory.CreateTempSubdirectory("clawscale-bad-").FullName,
            ["ClawScale:HttpPort"] = "70000",
            ["ClawScale:GrpcPort"] = "-1",
            ["ClawScale:ListenAddress"] = "not-an-ip",
            ["ClawScale:PublicBaseUrl"] = "ftp://example.com",
            ["ClawScale:Bootstrap:AdminApiKey"] = "short",
        }));
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        var message = string.Join("\n", ex.Failures);
        Assert.Contains("ClawScale:HttpPort", message);
        Assert.Contains("ClawScale:GrpcPort", message);
        Assert.Contains("ClawScale:ListenAddress", message);
        Assert.Contains("ClawScale:PublicBaseUrl", message);
        Assert.Contains("ClawScale:Bootstrap:AdminApiKey", message);
        Assert.True(ex.Failures.Count() >= 5);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task First_start_creates_a_platform_admin_key_file_that_works_and_a_restart_keeps_it()
    {
        var data = Directory.CreateTempSubdirectory("clawscale-first-").FullName;
        string key;
        await using (var kernel = await StartWithoutConfiguredKeyAsync(data))
        {
            var file = Path.Combine(data, "admin-api-key");
            Assert.True(File.Exists(file));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            key = (await File.ReadAllTextAsync(file)).Trim();
            Assert.StartsWith("csk_", key);
            var tenants = await kernel.Admin.ListTenantsAsync(new ListTenantsRequest(), KernelHost.Auth(key));
            Assert.Empty(tenants.Tenants);
            Assert.Contains(kernel.Logs.Entries, e => e.Message.Contains("cat " + file, StringComparison.Ordinal));
        }

        await using (var again = await StartWithoutConfiguredKeyAsync(data))
        {
            // Same database, no second key, the first still works.
            var keys = await again.Admin.ListApiKeysAsync(new ListApiKeysRequest(), KernelHost.Auth(key));
            Assert.Single(keys.ApiKeys);
        }
    }

    [Fact]
    public async Task Health_is_served_on_the_http_port()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        Assert.NotEqual(kernel.HttpAddress.Port, kernel.GrpcAddress.Port);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_plugin_that_fails_to_load_is_reported_in_ListPlugins_and_health_and_the_kernel_keeps_serving()
    {
        var manifest = Path.Combine(Directory.CreateTempSubdirectory("clawscale-manifest-").FullName, "plugins.json");
        var echo = Path.Combine(TestEnvironment.RepoRoot, "artifacts", "plugins", "ClawScale.Plugins.Echo").Replace('\\', '/');
        await File.WriteAllTextAsync(manifest, $$"""
            { "plugins": [
                { "name": "echo", "path": "{{echo}}" },
                { "name": "broken", "path": "./does-not-exist" }
            ] }
            """);
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?> { ["ClawScale:PluginsManifest"] = manifest });
        var plugins = (await kernel.Admin.ListPluginsAsync(new ListPluginsRequest(), kernel.AdminAuth)).Plugins;
        Assert.Equal(PluginState.Loaded, plugins.Single(p => p.Name == "echo").State);
        var broken = plugins.Single(p => p.Name == "broken");
        Assert.Equal(PluginState.Failed, broken.State);
        Assert.NotEmpty(broken.Error);

        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        Assert.Equal("Degraded", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));

        // gRPC health: degraded still serves; each kernel service is published.
        var health = new global::Grpc.Health.V1.Health.HealthClient(kernel.Channel);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus? status = null;
        while (DateTime.UtcNow < deadline && status is null)
        {
            try
            {
                status = (await health.CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest { Service = "clawscale.v1.AdminService" })).Status;
            }
            catch (global::Grpc.Core.RpcException ex) when (ex.StatusCode == global::Grpc.Core.StatusCode.NotFound)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, status);
        // An echo agent still works with the broken plugin around.
        var (_, key) = await kernel.CreateTenantAsync();
        await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "e", Kind = "echo" }, KernelHost.Auth(key));
        kernel.AssertNoUnexpectedErrors(m => m.Contains("broken", StringComparison.Ordinal) || m.Contains("does-not-exist", StringComparison.Ordinal));
    }

    private static async Task<KernelHost> StartWithoutConfiguredKeyAsync(string data)
    {
        // KernelHost configures a known key; remove it so the kernel bootstraps its own.
        return await KernelHost.StartAsync(TestDatabase.Sqlite(), new Dictionary<string, string?> { ["ClawScale:Bootstrap:AdminApiKey"] = null }, data);
    }
}
