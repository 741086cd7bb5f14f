using Grpc.Core;

namespace ClawScale.Kernel.Tests.Infrastructure;

/// <summary>Assertions on gRPC failures.</summary>
public static class RpcAssert
{
    public static async Task<RpcException> ThrowsAsync(StatusCode expected, Func<Task> call, string? messageContains = null)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(ex.StatusCode == expected, $"Expected {expected} but got {ex.StatusCode}: {ex.Status.Detail}");
        if (messageContains is not null) Assert.Contains(messageContains, ex.Status.Detail, StringComparison.OrdinalIgnoreCase);
        return ex;
    }
}
