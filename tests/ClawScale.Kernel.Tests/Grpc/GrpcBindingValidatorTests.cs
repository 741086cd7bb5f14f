using ClawScale.Kernel.Grpc;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Kernel.Tests.Grpc;

/// <summary><see cref="GrpcBindingValidator"/> over grpc-dotnet's endpoints: every RPC of the contract must be served.</summary>
public sealed class GrpcBindingValidatorTests
{
    private static WebApplication BuildApp()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGrpc();
        return builder.Build();
    }

    [Fact]
    public async Task Lists_every_unserved_method_at_once()
    {
        await using var app = BuildApp();
        app.MapGrpcService<PartialIdentityService>();

        var e = Assert.Throws<InvalidOperationException>(() => app.ValidateGrpcBindings([IdentityReflection.Descriptor, DeliveryReflection.Descriptor], []));

        Assert.Contains("clawscale.v1.DeliveryService/Deliver: service not mapped", e.Message, StringComparison.Ordinal);
        Assert.Contains("clawscale.v1.IdentityService/LinkExternalIdentity: has no handler", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("IdentityService/GetCustomer:", e.Message, StringComparison.Ordinal);
        var expected = IdentityReflection.Descriptor.Services.Sum(s => s.Methods.Count) - 1 + DeliveryReflection.Descriptor.Services.Sum(s => s.Methods.Count);
        Assert.Contains($"{expected} method(s)", e.Message, StringComparison.Ordinal);
        Assert.Contains("MapGrpcService", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passes_when_the_unserved_service_and_methods_are_excluded()
    {
        await using var app = BuildApp();
        app.MapGrpcService<PartialIdentityService>();
        var unserved = IdentityReflection.Descriptor.Services.Single().Methods.Where(m => m.Name != "GetCustomer").Select(m => $"clawscale.v1.IdentityService/{m.Name}");

        app.ValidateGrpcBindings([IdentityReflection.Descriptor, DeliveryReflection.Descriptor], ["clawscale.v1.DeliveryService", .. unserved]);
    }

    [Fact]
    public async Task The_kernel_serves_its_whole_contract()
    {
        await using var app = BuildApp();
        var problems = GrpcBindingValidator.FindProblems([], GrpcServerExtensions.Contract, []);
        // Nothing mapped: every RPC of the contract is reported, so the check at the kernel's start can fail.
        Assert.Equal(GrpcServerExtensions.Contract.SelectMany(f => f.Services).Sum(s => s.Methods.Count), problems.Count);
    }

    /// <summary>Serves one RPC of IdentityService; the others are left to the generated base (UNIMPLEMENTED).</summary>
    private sealed class PartialIdentityService : IdentityService.IdentityServiceBase
    {
        public override Task<GetCustomerResponse> GetCustomer(GetCustomerRequest request, ServerCallContext context) =>
            Task.FromResult(new GetCustomerResponse());
    }
}
