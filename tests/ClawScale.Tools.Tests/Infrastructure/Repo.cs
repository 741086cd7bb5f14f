namespace ClawScale.Tools.Tests.Infrastructure;

/// <summary>Where the repository is, and which configuration (Debug/Release) this test assembly was built in.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration of this build: the projects packed or run here were built in it too (ProjectReferences).</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar).Contains("Release") ? "Release" : "Debug";

    public static bool Require(string what) => Environment.GetEnvironmentVariable($"CLAWSCALE_REQUIRE_{what}") == "1";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClawScale.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("ClawScale.sln not found above " + AppContext.BaseDirectory);
    }
}
