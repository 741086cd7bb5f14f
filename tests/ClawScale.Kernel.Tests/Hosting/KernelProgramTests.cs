using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using ClawScale.Kernel.Hosting;

namespace ClawScale.Kernel.Tests.Hosting;

/// <summary>
/// The kernel as a program (the built ClawScale.Kernel.dll run as a process, <see cref="KernelApp.RunAsync"/>):
/// <c>--help</c> and <c>--version</c>, and start-up failures reported on stderr without a stack trace.
/// </summary>
public sealed partial class KernelProgramTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Help_prints_the_usage_with_the_setting_forms_and_exits_0_without_creating_anything()
    {
        var work = Directory.CreateTempSubdirectory("clawscale-help-").FullName;
        try
        {
            foreach (var flag in new[] { "--help", "-h" })
            {
                var run = await KernelCommand.RunToExitAsync([flag], new Dictionary<string, string>(), work, Bound);
                Assert.True(run.ExitCode == 0, run.ToString());
                Assert.Contains("Usage:", run.Stdout, StringComparison.Ordinal);
                Assert.Contains("--ClawScale:Database:ConnectionString=", run.Stdout, StringComparison.Ordinal);
                Assert.Contains("ClawScale__Database__ConnectionString=", run.Stdout, StringComparison.Ordinal);
                Assert.Contains("ClawScale:HttpPort", run.Stdout, StringComparison.Ordinal);
                Assert.Contains("4040", run.Stdout, StringComparison.Ordinal);
                Assert.Contains("README.md", run.Stdout, StringComparison.Ordinal);
                Assert.Contains("--version", run.Stdout, StringComparison.Ordinal);
                Assert.Equal(string.Empty, run.Stderr);
            }

            // Nothing was built or started: no data directory, no database, no key ring in the working directory.
            Assert.Empty(Directory.EnumerateFileSystemEntries(work));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Version_prints_the_informational_version_and_exits_0_without_creating_anything()
    {
        var work = Directory.CreateTempSubdirectory("clawscale-version-").FullName;
        try
        {
            var run = await KernelCommand.RunToExitAsync(["--version"], new Dictionary<string, string>(), work, Bound);
            Assert.True(run.ExitCode == 0, run.ToString());
            var expected = typeof(KernelApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
            Assert.Equal(expected, run.Stdout.Trim());
            Assert.Equal(string.Empty, run.Stderr);
            Assert.Empty(Directory.EnumerateFileSystemEntries(work));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Settings_that_do_not_convert_and_out_of_range_ones_are_listed_together_once_without_a_stack_trace()
    {
        var work = Directory.CreateTempSubdirectory("clawscale-badconfig-").FullName;
        try
        {
            var data = Path.Combine(work, "data");
            var run = await KernelCommand.RunToExitAsync([], new Dictionary<string, string>
            {
                ["ClawScale:DataDirectory"] = data,
                ["ClawScale:PluginsManifest"] = Path.Combine(Infrastructure.TestEnvironment.RepoRoot, "plugins.json"),
                ["ClawScale:Pipeline:DeliveryMaxAttempts"] = "abc",
                ["ClawScale:WatchPlugins"] = "maybe",
                ["ClawScale:Pipeline:PollInterval"] = "1:2:x",
                ["ClawScale:HttpPort"] = "70000",
                ["ClawScale:Pipeline:LeaseDuration"] = "00:00:00",
            }, work, Bound);

            Assert.True(run.ExitCode == KernelApp.ExitCodeInvalidConfiguration, run.ToString());
            Assert.Contains("configuration is not valid", run.Stderr, StringComparison.Ordinal);
            foreach (var (key, value) in new[]
            {
                ("ClawScale:Pipeline:DeliveryMaxAttempts", "'abc' is not a whole number"),
                ("ClawScale:WatchPlugins", "'maybe' is not true or false"),
                ("ClawScale:Pipeline:PollInterval", "'1:2:x' is not a duration"),
                ("ClawScale:HttpPort", "70000 must be between 0 and 65535"),
                ("ClawScale:Pipeline:LeaseDuration", "00:00:00 must be between 00:00:01"),
            })
            {
                Assert.True(Regex.Count(run.Stderr, Regex.Escape(key + " ")) == 1, $"{key} is not listed exactly once:\n{run}");
                Assert.Contains($"{key} {value}", run.Stderr, StringComparison.Ordinal);
            }

            AssertNoStackTrace(run);
            Assert.False(Directory.Exists(data), "The data directory was created although nothing may start.");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Theory]
    [InlineData("HttpPort")]
    [InlineData("GrpcPort")]
    public async Task A_port_in_use_fails_in_one_line_on_stderr_before_anything_touches_the_data_directory_or_database(string setting)
    {
        var work = Directory.CreateTempSubdirectory("clawscale-port-").FullName;
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        try
        {
            var data = Path.Combine(work, "data");
            var run = await KernelCommand.RunToExitAsync([], new Dictionary<string, string>
            {
                ["ClawScale:DataDirectory"] = data,
                ["ClawScale:PluginsManifest"] = Path.Combine(Infrastructure.TestEnvironment.RepoRoot, "plugins.json"),
                ["ClawScale:ListenAddress"] = "127.0.0.1",
                ["ClawScale:HttpPort"] = "0",
                ["ClawScale:GrpcPort"] = "0",
                [$"ClawScale:{setting}"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, work, Bound);

            Assert.True(run.ExitCode == KernelApp.ExitCodeAddressInUse, run.ToString());
            var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
            Assert.Contains($"ClawScale:{setting}", line, StringComparison.Ordinal);
            Assert.Contains("already in use", line, StringComparison.Ordinal);
            Assert.Contains($"--ClawScale:{setting}=", line, StringComparison.Ordinal);
            AssertNoStackTrace(run);
            // Nothing ran before the ports: no data directory, no SQLite file, no migration, no worker, no plugin.
            Assert.False(Directory.Exists(data), "The data directory was created before the ports were bound:\n" + run);
            Assert.DoesNotContain("migrations", run.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("Delivery worker", run.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("Plugin", run.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            taken.Stop();
            Directory.Delete(work, recursive: true);
        }
    }

    private static void AssertNoStackTrace(KernelRunResult run)
    {
        Assert.False(StackFrame().IsMatch(run.Stdout + run.Stderr), "A stack trace was printed:\n" + run);
        Assert.DoesNotContain("Unhandled exception", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s+at \S+", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
