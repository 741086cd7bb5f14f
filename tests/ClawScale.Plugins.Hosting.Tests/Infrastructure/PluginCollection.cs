namespace ClawScale.Plugins.Hosting.Tests.Infrastructure;

/// <summary>Tests that need the built test plugins share one build.</summary>
[CollectionDefinition(Name)]
public sealed class PluginCollection : ICollectionFixture<TestPluginBuild>
{
    public const string Name = "Plugins";
}
