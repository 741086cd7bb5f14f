using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ClawScale.Grpc.Tests.Infrastructure;

/// <summary>Registered as a singleton: created once, runs on every call, marks each with a trailer.</summary>
public sealed class SingletonInterceptor : Interceptor
{
    public static int Created;
    public int Calls;

    public SingletonInterceptor() => Interlocked.Increment(ref Created);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Interlocked.Increment(ref Calls);
        var response = await continuation(request, context);
        context.ResponseTrailers.Add("x-singleton-intercepted", "unary");
        return response;
    }
}
