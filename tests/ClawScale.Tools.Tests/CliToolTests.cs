using ClawScale.Tools.Tests.Infrastructure;

namespace ClawScale.Tools.Tests;

/// <summary>The admin CLI as users get it: <c>dotnet tool install</c> of the packed ClawScale.Cli from a local feed, offline.</summary>
[Collection(ToolsCollection.Name)]
public sealed class CliToolTests(PackedTools tools, KernelProcess kernel)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task The_installed_tool_prints_its_version_and_help_without_the_api_key()
    {
        await tools.EnsureReadyAsync();
        const string secret = "csk_tool_secret_never_printed_000000000000000";
        var env = new Dictionary<string, string?> { ["CLAWSCALE_API_KEY"] = secret };

        var version = await ProcessRunner.RunAsync(tools.Tool, ["--version"], tools.Root, Bound, env);
        Assert.True(version.ExitCode == 0, version.Both);
        Assert.StartsWith(tools.BaseVersion, version.Stdout.Trim());

        foreach (var args in new[] { new[] { "--help" }, ["doctor", "--help"], ["send", "test", "--help"], ["watch", "deliveries", "--help"] })
        {
            var help = await ProcessRunner.RunAsync(tools.Tool, args, tools.Root, Bound, env);
            Assert.True(help.ExitCode == 0, string.Join(' ', args) + ": " + help.Both);
            Assert.Contains("--api-key", help.Stdout);
            Assert.DoesNotContain(secret, help.Both);
        }

        var root = await ProcessRunner.RunAsync(tools.Tool, ["--help"], tools.Root, Bound, env);
        foreach (var command in new[] { "conversations", "watch", "send", "doctor", "deliveries", "plugins" })
            Assert.Contains(command, root.Stdout);
    }

    [Fact]
    public async Task The_installed_tools_doctor_says_fine_on_a_healthy_kernel_and_fails_when_none_answers()
    {
        await tools.EnsureReadyAsync();

        var healthy = await ProcessRunner.RunAsync(tools.Tool, ["doctor", "--address", kernel.GrpcAddress.ToString()], tools.Root, Bound,
            new Dictionary<string, string?> { ["CLAWSCALE_API_KEY"] = kernel.AdminKey });
        Assert.True(healthy.ExitCode == 0, healthy.Both + "\n" + kernel.RecentOutput);
        Assert.Contains("All fine", healthy.Stdout);
        Assert.DoesNotContain(kernel.AdminKey, healthy.Both);

        var unreachable = await ProcessRunner.RunAsync(tools.Tool, ["doctor", "--address", "http://127.0.0.1:9", "--timeout", "5"], tools.Root, Bound,
            new Dictionary<string, string?> { ["CLAWSCALE_API_KEY"] = kernel.AdminKey });
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("FAIL  connection", unreachable.Stdout);
        Assert.Contains("skip  plugins", unreachable.Stdout);
    }
}
