using Acme.Orders.V1;
using ClawScale.Client;
using ClawScale.Protos.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace ClawScale.Client.UserApp.Tests;

/// <summary>
/// A runtime team's app that uses Grpc.Net.Client for its own services and the ClawScale client beside it: one
/// <see cref="RpcException"/> type for both, its own channel and call invoker handed to <see cref="ClawScaleClient"/>.
/// </summary>
public sealed class UserAppTests(KernelProcess kernel) : IClassFixture<KernelProcess>
{
    [Fact]
    public async Task The_apps_own_channel_serves_the_ClawScale_client_and_its_own_generated_client()
    {
        using var channel = GrpcChannel.ForAddress(kernel.GrpcAddress, new GrpcChannelOptions { MaxReceiveMessageSize = 8 * 1024 * 1024 });
        using var clawScale = new ClawScaleClient(channel, new ClawScaleClientOptions { ApiKey = kernel.AdminKey });
        var slug = "app" + Guid.NewGuid().ToString("N")[..8];

        var tenant = (await clawScale.Admin.CreateTenantAsync(new CreateTenantRequest { Slug = slug, DisplayName = "From the app" })).Tenant;
        Assert.Equal(slug, tenant.Slug);

        // The app's own Grpc.Tools-generated client on the same channel: the kernel does not serve acme.orders.v1, and
        // the app catches that with the one Grpc.Core.RpcException type.
        var orders = new OrderService.OrderServiceClient(channel);
        var e = await Assert.ThrowsAsync<RpcException>(() => orders.GetOrderAsync(new GetOrderRequest { OrderId = "o-1" }).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, e.StatusCode);

        // Disposing the ClawScale client leaves the app's channel usable.
        clawScale.Dispose();
        var again = new AdminService.AdminServiceClient(channel);
        var listed = await again.ListTenantsAsync(new ListTenantsRequest { PageSize = 500 }, new Metadata { { "authorization", "Bearer " + kernel.AdminKey } });
        Assert.Contains(listed.Tenants, t => t.Id == tenant.Id);
    }

    [Fact]
    public async Task The_ClawScale_clients_errors_are_caught_as_Grpc_Core_RpcException()
    {
        using var clawScale = new ClawScaleClient(kernel.GrpcAddress, "csk_not_a_key_of_this_kernel_0000000000000000");
        StatusCode? caught = null;
        try
        {
            await clawScale.Admin.ListTenantsAsync(new ListTenantsRequest());
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
        {
            caught = e.StatusCode;
        }

        Assert.Equal(StatusCode.Unauthenticated, caught);
    }

    [Fact]
    public async Task The_apps_own_call_invoker_and_interceptor_see_the_ClawScale_calls_with_the_key_added()
    {
        using var channel = GrpcChannel.ForAddress(kernel.GrpcAddress);
        var seen = new List<(string Method, string? Authorization, DateTime? Deadline)>();
        var invoker = channel.Intercept(new RecordingInterceptor(seen));
        var clawScale = new ClawScaleClient(invoker, new ClawScaleClientOptions { ApiKey = kernel.AdminKey, DefaultDeadline = TimeSpan.FromSeconds(20) });

        var listed = await clawScale.Admin.ListTenantsAsync(new ListTenantsRequest());

        Assert.NotNull(listed);
        var call = Assert.Single(seen);
        Assert.Equal("/clawscale.v1.AdminService/ListTenants", call.Method);
        Assert.Equal("Bearer " + kernel.AdminKey, call.Authorization);
        Assert.NotNull(call.Deadline);
    }

    /// <summary>The app's own client interceptor: records each call's method, authorization header and deadline.</summary>
    private sealed class RecordingInterceptor(List<(string, string?, DateTime?)> seen) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            lock (seen) seen.Add((context.Method.FullName, context.Options.Headers?.GetValue("authorization"), context.Options.Deadline));
            return continuation(request, context);
        }
    }
}
