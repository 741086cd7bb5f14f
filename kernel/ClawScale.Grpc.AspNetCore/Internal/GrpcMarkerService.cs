namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>Registered by AddGrpcServer; its absence means the layer was not added to DI.</summary>
internal sealed class GrpcMarkerService
{
    public static void EnsureRegistered(IServiceProvider services)
    {
        if (services.GetService(typeof(GrpcMarkerService)) is null)
        {
            throw new InvalidOperationException(
                "Unable to find the required gRPC services. Add them by calling 'services.AddGrpcServer()' " +
                "(ClawScale.Grpc.AspNetCore) in the application's service configuration before mapping gRPC services.");
        }
    }
}
