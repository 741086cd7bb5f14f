using ClawScale.Grpc.AspNetCore;
using ClawScale.Grpc.Tests.Infrastructure;
using ClawScale.Grpc.Tests.Protos;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ClawScale.Grpc.Tests.Server;

public sealed class BindingTests
{
    private static WebApplication BuildApp(bool addGrpc = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<CallProbe>();
        if (addGrpc)
        {
            builder.Services.AddGrpcServer();
        }

        return builder.Build();
    }

    [Fact]
    public async Task Validator_lists_every_unserved_method()
    {
        await using var app = BuildApp();
        app.MapGrpcService<TestServiceImpl>();

        var ex = Assert.Throws<InvalidOperationException>(() => app.ValidateGrpcBindings(TestReflection.Descriptor));

        Assert.Contains("clawscale.test.v1.OtherService/Ping: service not mapped", ex.Message);
        Assert.Contains("clawscale.test.v1.TestService/NotOverridden: has no handler", ex.Message);
        Assert.DoesNotContain("TestService/Echo", ex.Message);
        Assert.Contains("2 method(s)", ex.Message);
    }

    [Fact]
    public async Task Validator_passes_when_unserved_services_and_methods_are_excluded()
    {
        await using var app = BuildApp();
        app.MapGrpcService<TestServiceImpl>();

        app.ValidateGrpcBindings([TestReflection.Descriptor], ["clawscale.test.v1.OtherService", "clawscale.test.v1.TestService/NotOverridden"]);
    }

    [Fact]
    public async Task Validator_reports_a_service_with_nothing_mapped()
    {
        await using var app = BuildApp();

        var ex = Assert.Throws<InvalidOperationException>(() => app.ValidateGrpcBindings(TestReflection.Descriptor));

        Assert.Contains("clawscale.test.v1.TestService/Echo: service not mapped", ex.Message);
        Assert.Contains("10 method(s)", ex.Message);
    }

    [Fact]
    public async Task MapGrpcService_without_AddGrpcServer_explains_what_is_missing()
    {
        await using var app = BuildApp(addGrpc: false);

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapGrpcService<TestServiceImpl>());

        Assert.Contains("AddGrpcServer", ex.Message);
    }

    [Fact]
    public async Task Mapping_a_service_twice_fails()
    {
        await using var app = BuildApp();
        app.MapGrpcService<TestServiceImpl>();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapGrpcService<TestServiceImpl>());

        Assert.Contains("already mapped", ex.Message);
    }

    [Fact]
    public async Task Mapping_a_type_that_is_not_a_generated_service_fails()
    {
        await using var app = BuildApp();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapGrpcService<CallProbe>());

        Assert.Contains("BindServiceMethod", ex.Message);
    }
}
