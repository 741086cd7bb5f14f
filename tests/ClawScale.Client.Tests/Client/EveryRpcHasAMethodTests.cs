using System.Reflection;
using ClawScale.Client;
using ClawScale.Protos.V1;
using Google.Protobuf.Reflection;

namespace ClawScale.Client.Tests.Client;

/// <summary>Every RPC of protos/clawscale/v1 is reachable through <see cref="ClawScaleClient"/>.</summary>
public sealed class EveryRpcHasAMethodTests
{
    public static TheoryData<string> Services() =>
        new(AllServices().Select(s => s.FullName));

    private static IEnumerable<ServiceDescriptor> AllServices() =>
        new[] { AdminReflection.Descriptor, IdentityReflection.Descriptor, RoutingReflection.Descriptor, DeliveryReflection.Descriptor, RuntimeReflection.Descriptor, ResourcesReflection.Descriptor }
            .SelectMany(f => f.Services);

    [Fact]
    public void Every_service_of_the_protos_is_covered()
    {
        var names = AllServices().Select(s => s.Name).OrderBy(n => n).ToArray();
        Assert.Equal(["AdminService", "DeliveryService", "IdentityService", "RoutingService", "RuntimeService"], names);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Every_rpc_has_a_method_on_the_clients_sub_client(string serviceName)
    {
        var service = AllServices().Single(s => s.FullName == serviceName);
        var property = typeof(ClawScaleClient).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .SingleOrDefault(p => p.PropertyType.Name == service.Name + "Client");
        Assert.True(property is not null, $"ClawScaleClient has no property of type {service.Name}.{service.Name}Client.");

        var missing = new List<string>();
        foreach (var method in service.Methods)
        {
            var name = method.IsClientStreaming || method.IsServerStreaming ? method.Name : method.Name + "Async";
            var candidates = property!.PropertyType.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name == name).ToList();
            var expectedParameter = method.IsClientStreaming ? null : method.InputType.ClrType;
            if (!candidates.Any(m => expectedParameter is null ? m.GetParameters().FirstOrDefault()?.ParameterType != null : m.GetParameters().FirstOrDefault()?.ParameterType == expectedParameter))
                missing.Add($"{service.Name}.{method.Name} ({name})");
        }

        Assert.True(missing.Count == 0, "RPCs without a client method: " + string.Join(", ", missing));
    }

    [Fact]
    public void Sub_clients_share_the_decorated_invoker()
    {
        using var client = new ClawScaleClient(new Uri("http://127.0.0.1:1"), "csk_x");
        foreach (var property in typeof(ClawScaleClient).GetProperties().Where(p => p.PropertyType.Name.EndsWith("ServiceClient", StringComparison.Ordinal)))
        {
            var invoker = typeof(global::Grpc.Core.ClientBase).GetProperty("CallInvoker", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance)!.GetValue(property.GetValue(client));
            Assert.Same(client.CallInvoker, invoker);
        }
    }
}
