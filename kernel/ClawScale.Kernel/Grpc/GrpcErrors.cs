using Grpc.Core;

namespace ClawScale.Kernel.Grpc;

/// <summary>The kernel's gRPC errors, each with a message that says what was wrong and what to do.</summary>
internal static class GrpcErrors
{
    public static RpcException InvalidArgument(string field, string problem) =>
        new(new Status(StatusCode.InvalidArgument, $"{field}: {problem}"));

    public static RpcException NotFound(string resource, string id) =>
        new(new Status(StatusCode.NotFound, $"{resource} '{id}' not found (or not visible to this API key)."));

    public static RpcException AlreadyExists(string message) => new(new Status(StatusCode.AlreadyExists, message));

    public static RpcException FailedPrecondition(string message) => new(new Status(StatusCode.FailedPrecondition, message));

    public static RpcException PermissionDenied(string message) => new(new Status(StatusCode.PermissionDenied, message));

    public static RpcException Unimplemented(string method, string plannedIn) =>
        new(new Status(StatusCode.Unimplemented, $"{method} is not implemented yet in this kernel version ({plannedIn})."));
}
