using System.Xml.Linq;
using ClawScale.Tools.Tests.Infrastructure;

namespace ClawScale.Tools.Tests;

/// <summary>
/// Both templates instantiated with <c>dotnet new</c> from the packed ClawScale.Templates, then built (warnings as
/// errors) and tested against the packed SDK from the local feed only: no network, no project reference.
/// </summary>
[Collection(ToolsCollection.Name)]
public sealed class TemplateTests(PackedTools tools)
{
    [Fact]
    public async Task Both_templates_build_and_pass_their_tests_against_the_packed_sdk()
    {
        await tools.EnsureReadyAsync();
        var work = Path.Combine(tools.Root, "generated");
        Directory.CreateDirectory(work);
        File.Copy(tools.NuGetConfig, Path.Combine(work, "nuget.config"));

        await PackedTools.DotnetAsync(work, "new", "clawscale-agent", "-n", "Acme.Plugins.Shout", "--debug:custom-hive", tools.TemplateHive);
        await PackedTools.DotnetAsync(work, "new", "clawscale-channel", "-n", "Acme.Plugins.Chatty", "--kind", "chatty-chat", "--debug:custom-hive", tools.TemplateHive);

        // Names, kinds and the SDK version follow the template's inputs.
        Assert.True(File.Exists(Path.Combine(work, "Acme.Plugins.Shout", "Acme.Plugins.Shout", "ShoutAgentFactory.cs")));
        Assert.Contains("public string Kind => \"shout\";", await File.ReadAllTextAsync(Path.Combine(work, "Acme.Plugins.Shout", "Acme.Plugins.Shout", "ShoutAgentFactory.cs")));
        var channelDir = Path.Combine(work, "Acme.Plugins.Chatty", "Acme.Plugins.Chatty");
        Assert.Contains("public string Kind => \"chatty-chat\";", await File.ReadAllTextAsync(Path.Combine(channelDir, "ChattyChannelAdapterFactory.cs")));
        foreach (var file in new[] { "ChattyChannelAdapter.cs", "ChattyOptions.cs", "ChattyMapper.cs", "ChattyApiClient.cs", "ChattySignature.cs", "README.md", Path.Combine("Model", "ChattyJsonContext.cs") })
            Assert.True(File.Exists(Path.Combine(channelDir, file)), file);
        var sdkReference = XDocument.Load(Path.Combine(channelDir, "Acme.Plugins.Chatty.csproj")).Descendants("PackageReference")
            .Single(r => (string?)r.Attribute("Include") == "ClawScale.Plugins.Abstractions");
        Assert.Equal(tools.Version, (string?)sdkReference.Attribute("Version"));
        Assert.Equal("runtime", (string?)sdkReference.Attribute("ExcludeAssets"));
        Assert.DoesNotContain("@", await File.ReadAllTextAsync(Path.Combine(work, "Acme.Plugins.Shout", "Acme.Plugins.Shout.Tests", "Acme.Plugins.Shout.Tests.csproj")));

        await File.WriteAllTextAsync(Path.Combine(work, "generated.slnx"), """
            <Solution>
              <Project Path="Acme.Plugins.Shout/Acme.Plugins.Shout.Tests/Acme.Plugins.Shout.Tests.csproj" />
              <Project Path="Acme.Plugins.Chatty/Acme.Plugins.Chatty.Tests/Acme.Plugins.Chatty.Tests.csproj" />
            </Solution>
            """);
        var test = await PackedTools.DotnetAsync(work, "test", "generated.slnx", "-nodeReuse:false");
        Assert.Contains("Acme.Plugins.Shout.Tests.dll", test.Stdout);
        Assert.Contains("Acme.Plugins.Chatty.Tests.dll", test.Stdout);

        // A plugin folder holds the plugin, never the SDK (the kernel's copy is the one used).
        foreach (var plugin in new[] { Path.Combine("Acme.Plugins.Shout", "Acme.Plugins.Shout"), Path.Combine("Acme.Plugins.Chatty", "Acme.Plugins.Chatty") })
        {
            var output = Path.Combine(work, plugin, "bin", "Debug", "net10.0");
            Assert.True(File.Exists(Path.Combine(output, Path.GetFileName(plugin) + ".dll")), output);
            Assert.False(File.Exists(Path.Combine(output, "ClawScale.Plugins.Abstractions.dll")), "the SDK was copied into " + output);
        }
    }
}
