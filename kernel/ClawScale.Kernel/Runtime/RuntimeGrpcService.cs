using ClawScale.Kernel.Grpc;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;
using Grpc.Core;

namespace ClawScale.Kernel.Runtime;

/// <summary>
/// <c>clawscale.v1.RuntimeService</c>. Connect arrives with the external-runtime issue; until then an authenticated
/// call answers UNIMPLEMENTED saying so.
/// </summary>
internal sealed class RuntimeGrpcService : RuntimeService.RuntimeServiceBase
{
    public override Task Connect(IAsyncStreamReader<ConnectRequest> requestStream, IServerStreamWriter<ConnectResponse> responseStream, ServerCallContext context)
    {
        context.GetCaller();
        throw GrpcErrors.Unimplemented("RuntimeService.Connect", "it arrives with the external runtime support");
    }
}
