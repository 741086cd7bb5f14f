namespace ClawScale.Client.Tests;

/// <summary>The README's ten-line runtimes are the example files that CI compiles and tests, character for character.</summary>
public sealed class ReadmeExamplesTests
{
    [Theory]
    [InlineData("clients/csharp/examples/EchoRuntime/Program.cs")]
    [InlineData("clients/python/examples/echo_runtime.py")]
    public void The_readme_shows_the_example_exactly(string example)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ClawScale.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var readme = File.ReadAllText(Path.Combine(root.FullName, "README.md")).Replace("\r\n", "\n");
        var code = File.ReadAllText(Path.Combine(root.FullName, example)).Replace("\r\n", "\n").TrimEnd('\n');
        Assert.True(readme.Contains(code, StringComparison.Ordinal), $"README.md must show {example} exactly; copy it into the 'External runtimes' section.");
        Assert.True(code.Split('\n').Length <= 12, $"{example} is meant to stay about ten lines.");
    }
}
