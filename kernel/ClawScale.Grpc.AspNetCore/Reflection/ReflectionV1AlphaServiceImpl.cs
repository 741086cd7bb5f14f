using ClawScale.Grpc.AspNetCore.Internal;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using V1 = Grpc.Reflection.V1;

namespace ClawScale.Grpc.AspNetCore.Reflection;

/// <summary>The <c>grpc.reflection.v1alpha.ServerReflection</c> implementation (same messages on the wire as v1).</summary>
internal sealed class ReflectionV1AlphaServiceImpl(GrpcServiceRegistry registry) : ServerReflection.ServerReflectionBase
{
    public override async Task ServerReflectionInfo(IAsyncStreamReader<ServerReflectionRequest> requestStream, IServerStreamWriter<ServerReflectionResponse> responseStream, ServerCallContext context)
    {
        var resolver = new ReflectionResolver(registry);
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = ReflectionResolver.Convert(requestStream.Current, V1.ServerReflectionRequest.Parser);
            var response = resolver.Resolve(request);
            await responseStream.WriteAsync(ReflectionResolver.Convert(response, ServerReflectionResponse.Parser)).ConfigureAwait(false);
        }
    }
}
