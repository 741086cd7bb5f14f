using ClawScale.Plugins.Hosting.Internal;
using ClawScale.Plugins.Hosting.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Hosting.Tests.Internal;

/// <summary>
/// Where shadow copies go: a private folder under the data directory by default (not a shared folder under /tmp that
/// another user may own or write), created owner-only, with the copies of dead processes swept at start.
/// </summary>
public sealed class ShadowCopyFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clawscale-plugin-tests", Guid.NewGuid().ToString("N"));

    public ShadowCopyFolderTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void By_default_shadow_copies_go_under_the_data_directory_not_the_system_temp_folder()
    {
        var paths = ResolvedPaths.From(new PluginHostOptions { ContentRoot = _root, DataDirectory = "data" }, hostContentRoot: null);

        Assert.Equal(Path.Combine(_root, "data", "plugin-cache"), Path.GetDirectoryName(paths.ShadowRoot));
        Assert.StartsWith($"{Environment.ProcessId}-", Path.GetFileName(paths.ShadowRoot), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shadow_base_is_created_owner_only_and_copies_of_dead_processes_and_of_this_pid_are_swept()
    {
        var shadowBase = Path.Combine(_root, "shadow");
        Directory.CreateDirectory(shadowBase);
        var dead = Directory.CreateDirectory(Path.Combine(shadowBase, $"{int.MaxValue - 7}-{Guid.NewGuid():N}")).FullName;
        var ownEarlierRun = Directory.CreateDirectory(Path.Combine(shadowBase, $"{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
        var live = Directory.CreateDirectory(Path.Combine(shadowBase, $"{Environment.ProcessId}x")).FullName;
        var parentPid = ParentProcessId();
        var liveOther = Directory.CreateDirectory(Path.Combine(shadowBase, $"{parentPid}-{Guid.NewGuid():N}")).FullName;
        var notOurs = Directory.CreateDirectory(Path.Combine(shadowBase, "notes")).FullName;
        File.WriteAllText(Path.Combine(dead, "Plugin.dll"), "x");

        var logs = new TestLoggerProvider();
        using var catalog = new PluginCatalog(
            Microsoft.Extensions.Options.Options.Create(new PluginHostOptions { ContentRoot = _root, ShadowCopyDirectory = shadowBase }),
            logs.CreateLogger<PluginCatalog>(), TimeProvider.System);
        Assert.True(Directory.Exists(dead), "nothing is swept before the first load (the host creates its folders first)");
        await catalog.ReloadAsync(CancellationToken.None);

        Assert.False(Directory.Exists(dead), "a dead process's copy is deleted");
        Assert.False(Directory.Exists(ownEarlierRun), "an earlier run with this process id (container restart) is deleted");
        Assert.True(Directory.Exists(liveOther), "a running process's copy is kept");
        Assert.True(Directory.Exists(live) && Directory.Exists(notOurs), "folders not named <pid>-<guid> are left alone");
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);

        var fresh = Path.Combine(_root, "fresh-base");
        using var second = new PluginCatalog(
            Microsoft.Extensions.Options.Options.Create(new PluginHostOptions { ContentRoot = _root, ShadowCopyDirectory = fresh }),
            logs.CreateLogger<PluginCatalog>(), TimeProvider.System);
        Assert.False(Directory.Exists(fresh));
        await second.ReloadAsync(CancellationToken.None);
        Assert.True(Directory.Exists(fresh));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(fresh));
        }
    }

    [Fact]
    public async Task A_shadow_base_writable_by_other_users_is_warned_about()
    {
        if (OperatingSystem.IsWindows()) return;
        var shadowBase = Path.Combine(_root, "shared");
        Directory.CreateDirectory(shadowBase);
        File.SetUnixFileMode(shadowBase, (UnixFileMode)Convert.ToInt32("777", 8));

        var logs = new TestLoggerProvider();
        using var catalog = new PluginCatalog(
            Microsoft.Extensions.Options.Options.Create(new PluginHostOptions { ContentRoot = _root, ShadowCopyDirectory = shadowBase }),
            logs.CreateLogger<PluginCatalog>(), TimeProvider.System);
        await catalog.ReloadAsync(CancellationToken.None);

        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(4117, warning.EventId.Id);
        Assert.Contains(shadowBase, warning.Message, StringComparison.Ordinal);
    }

    private static int ParentProcessId()
    {
        // /proc/self/stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
