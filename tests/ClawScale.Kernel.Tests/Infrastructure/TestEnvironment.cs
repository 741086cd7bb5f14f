namespace ClawScale.Kernel.Tests.Infrastructure;

/// <summary>What the machine offers the tests (set by .ci/run), and whether a missing prerequisite fails or skips.</summary>
public static class TestEnvironment
{
    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("CLAWSCALE_TEST_POSTGRES");

    public static bool Require(string what) => Environment.GetEnvironmentVariable($"CLAWSCALE_REQUIRE_{what}") == "1";

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ClawScale.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("ClawScale.sln not found above the test output folder.");
        }
    }

    /// <summary>Debian's python3 (which has python3-grpcio) when present, else the python3 on PATH.</summary>
    public static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Finds an executable on PATH, or null.</summary>
    public static string? Which(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }

        var local = Path.Combine(RepoRoot, ".ci", "work", "node", "node_modules", ".bin", name);
        return File.Exists(local) ? local : null;
    }
}
