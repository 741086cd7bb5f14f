using System.Reflection;
using ClawScale.Client;
using ClawScale.Protos.V1;
using Google.Protobuf.Reflection;
using Grpc.Core;

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
    public async Task Every_sub_client_goes_through_the_key_and_deadline_interceptor()
    {
        var invoker = new RecordingInvoker();
        using var client = new ClawScaleClient(invoker, new ClawScaleClientOptions { ApiKey = "csk_x", DefaultDeadline = TimeSpan.FromSeconds(5) });

        await Assert.ThrowsAsync<RpcException>(() => client.Admin.ListTenantsAsync(new ListTenantsRequest()).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => client.Identity.GetCustomerAsync(new GetCustomerRequest()).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => client.Routing.ListConversationsAsync(new ListConversationsRequest()).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => client.Delivery.DeliverAsync(new DeliverRequest()).ResponseAsync);
        Assert.Throws<RpcException>(() => client.Runtime.Connect());

        Assert.Equal(5, invoker.Calls.Count);
        Assert.All(invoker.Calls, c => Assert.Equal("Bearer csk_x", c.Options.Headers?.GetValue("authorization")));
        // Unary calls get the default deadline; the long-lived Connect stream does not.
        Assert.All(invoker.Calls.Take(4), c => Assert.NotNull(c.Options.Deadline));
        Assert.Null(invoker.Calls[4].Options.Deadline);
    }

    /// <summary>A call invoker that records each call and fails it with UNAVAILABLE.</summary>
    private sealed class RecordingInvoker : CallInvoker
    {
        public List<(string Method, CallOptions Options)> Calls { get; } = [];

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw Record(method, options);

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            new(Task.FromException<TResponse>(Record(method, options)), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw Record(method, options);

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw Record(method, options);

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw Record(method, options);

        private RpcException Record(IMethod method, CallOptions options)
        {
            Calls.Add((method.FullName, options));
            return new RpcException(new Status(StatusCode.Unavailable, "recorded"));
        }
    }
}
