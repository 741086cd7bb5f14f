namespace ClawScale.Tools.Tests.Infrastructure;

/// <summary>
/// The tests that share the packed tools and the kernel process. They run one after another (packing, building and a
/// kernel on two shared cores), and each leaves the kernel healthy (tenants it made unhealthy are deleted).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ToolsCollection : ICollectionFixture<PackedTools>, ICollectionFixture<KernelProcess>
{
    public const string Name = "packed tools and a kernel process";
}
