using ClawScale.Grpc.AspNetCore.Internal;
using Grpc.Core;
using Grpc.Reflection.V1;

namespace ClawScale.Grpc.AspNetCore.Reflection;

/// <summary>The <c>grpc.reflection.v1.ServerReflection</c> implementation.</summary>
internal sealed class ReflectionServiceImpl(GrpcServiceRegistry registry) : ServerReflection.ServerReflectionBase
{
    public override async Task ServerReflectionInfo(IAsyncStreamReader<ServerReflectionRequest> requestStream, IServerStreamWriter<ServerReflectionResponse> responseStream, ServerCallContext context)
    {
        var resolver = new ReflectionResolver(registry);
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(resolver.Resolve(requestStream.Current)).ConfigureAwait(false);
        }
    }
}
