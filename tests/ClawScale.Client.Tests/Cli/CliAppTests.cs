using System.Text.Json;
using ClawScale.Cli;
using ClawScale.Kernel.Tests.Infrastructure;

namespace ClawScale.Client.Tests.Cli;

/// <summary>The <c>clawscale</c> CLI run in process (<see cref="CliApp.RunAsync"/>) against a real kernel.</summary>
public sealed class CliAppTests(SqliteKernelFixture kernel) : IClassFixture<SqliteKernelFixture>
{
    private async Task<(int Exit, string Out, string Err)> RunAsync(string? key, params string[] args)
    {
        var all = new List<string> { "--address", kernel.Host.GrpcAddress.ToString() };
        if (key is not null) all.AddRange(["--api-key", key]);
        all.AddRange(args);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(all.ToArray(), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [SkippableFact]
    public async Task Tenants_create_then_list_as_json()
    {
        var slug = "cli" + Guid.NewGuid().ToString("N")[..10];
        var (exit, output, error) = await RunAsync(kernel.Host.AdminKey, "tenants", "create", "--slug", slug, "--display-name", "CLI tenant");
        Assert.True(exit == 0, error);
        Assert.Contains(slug, output);
        Assert.StartsWith("ID", output);

        (exit, output, error) = await RunAsync(kernel.Host.AdminKey, "tenants", "list", "--output", "json", "--page-size", "500");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var tenant = json.RootElement.GetProperty("tenants").EnumerateArray().Single(t => t.GetProperty("slug").GetString() == slug);
        Assert.Equal("CLI tenant", tenant.GetProperty("displayName").GetString());
    }

    [SkippableFact]
    public async Task Channels_create_with_a_credential_never_echoes_it()
    {
        var (tenant, key) = await kernel.Host.CreateTenantAsync();
        const string token = KernelHost.SampleBotToken;
        var (exit, output, error) = await RunAsync(key, "channels", "create", "--kind", "telegram", "--display-name", "Support bot",
            "--config", "api_base_url=" + KernelHost.UnreachablePlatformUrl, "--credential", "bot_token=" + token);
        Assert.True(exit == 0, error);
        Assert.Contains("bot_token", output);
        Assert.Contains("telegram", output);
        Assert.DoesNotContain(token, output);
        Assert.DoesNotContain(token, error);

        (exit, output, error) = await RunAsync(key, "-o", "json", "channels", "list", "--tenant", tenant.Id);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain(token, output);
        using var json = JsonDocument.Parse(output);
        var channel = Assert.Single(json.RootElement.GetProperty("channels").EnumerateArray());
        Assert.Equal("bot_token", Assert.Single(channel.GetProperty("credentialKeysSet").EnumerateArray()).GetString());
    }

    [SkippableFact]
    public async Task Help_never_prints_the_api_key_from_CLAWSCALE_API_KEY_which_is_still_used()
    {
        const string secret = "csk_env_secret_do_not_print_0000000000000000";
        var before = Environment.GetEnvironmentVariable("CLAWSCALE_API_KEY");
        Environment.SetEnvironmentVariable("CLAWSCALE_API_KEY", secret);
        try
        {
            foreach (var args in new[] { new[] { "--help" }, ["tenants", "list", "--help"], ["keys", "create", "-h"] })
            {
                var (exit, output, error) = await RunAsync(null, args);
                Assert.Equal(0, exit);
                Assert.Contains("--api-key", output);
                Assert.DoesNotContain(secret, output);
                Assert.DoesNotContain(secret, error);
            }

            // The variable still supplies the key when --api-key is absent: the kernel sees this (wrong) key.
            var (rpcExit, _, rpcError) = await RunAsync(null, "tenants", "list");
            Assert.Equal(CliApp.RpcFailure, rpcExit);
            Assert.StartsWith("error: UNAUTHENTICATED: The API key is not recognised", rpcError);
            Assert.DoesNotContain(secret, rpcError);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CLAWSCALE_API_KEY", before);
        }
    }

    [SkippableFact]
    public async Task A_bad_key_exits_1_with_unauthenticated_on_stderr()
    {
        var (exit, output, error) = await RunAsync("csk_wrong_key_00000000000000000000000000000000", "tenants", "list");
        Assert.Equal(CliApp.RpcFailure, exit);
        Assert.StartsWith("error: UNAUTHENTICATED", error);
        Assert.Equal(string.Empty, output);
    }

    [SkippableFact]
    public async Task Not_found_exits_1_with_the_status()
    {
        var (exit, _, error) = await RunAsync(kernel.Host.AdminKey, "agents", "get", Guid.NewGuid().ToString());
        Assert.Equal(CliApp.RpcFailure, exit);
        Assert.StartsWith("error: NOT_FOUND", error);
    }

    [SkippableFact]
    public async Task Agents_bindings_keys_round_trip()
    {
        var (tenant, key) = await kernel.Host.CreateTenantAsync();
        var (exit, output, error) = await RunAsync(key, "-o", "json", "agents", "create", "--name", "helper", "--kind", "echo");
        Assert.True(exit == 0, error);
        var agentId = JsonDocument.Parse(output).RootElement.GetProperty("agent").GetProperty("id").GetString()!;

        (exit, _, error) = await RunAsync(key, "bindings", "create", "--agent", agentId);
        Assert.True(exit == 0, error);
        (exit, output, error) = await RunAsync(key, "bindings", "list", "--tenant", tenant.Id);
        Assert.True(exit == 0, error);
        Assert.Contains(agentId, output);

        (exit, output, error) = await RunAsync(key, "keys", "create", "--tenant", tenant.Id, "--name", "rt", "--scope", "runtime", "--agent", agentId);
        Assert.True(exit == 0, error);
        Assert.Contains("Secret (shown once", output);
        Assert.Contains("runtime", output);

        foreach (var command in new[] { new[] { "turns", "list" }, ["deliveries", "list"], ["customers", "list"], ["agents", "list"] })
        {
            (exit, _, error) = await RunAsync(key, command);
            Assert.True(exit == 0, string.Join(" ", command) + ": " + error);
        }
    }

    [Theory]
    [InlineData("tenants", "frobnicate")]
    [InlineData("tenants", "create", "--slug", "x")]
    [InlineData("--output", "xml", "tenants", "list")]
    [InlineData("channels", "create", "--kind", "webchat", "--display-name", "x", "--config", "novalue")]
    [InlineData("keys", "create", "--name", "x", "--scope", "superuser")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr);
        Assert.Equal(CliApp.UsageError, exit);
        Assert.Contains("error:", stderr.ToString());
    }

    [Fact]
    public async Task Credential_values_are_not_echoed_in_usage_errors()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["channels", "create", "--kind", "telegram", "--display-name", "x", "--credential", "supersecret"], stdout, stderr);
        Assert.Equal(CliApp.UsageError, exit);
        Assert.DoesNotContain("supersecret", stderr.ToString());
    }
}
