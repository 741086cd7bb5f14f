using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ClawScale.Grpc.Tests.Infrastructure;

/// <summary>Counts calls and marks them with a trailer, proving interceptors run (resolved per call).</summary>
public sealed class CountingInterceptor(CallProbe probe) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Interlocked.Increment(ref probe.InterceptorCalls);
        var response = await continuation(request, context);
        context.ResponseTrailers.Add("x-intercepted", "unary");
        return response;
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Interlocked.Increment(ref probe.InterceptorCalls);
        context.ResponseTrailers.Add("x-intercepted", "server-streaming");
        return continuation(request, responseStream, context);
    }
}
