using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>Runs server-streaming calls: one request message in, a flushed stream of responses out.</summary>
internal sealed class ServerStreamingServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method,
    ServerMethodDefinition definition,
    GrpcServerOptions options,
    ILogger logger,
    TimeProvider timeProvider,
    ServiceActivation<TService> serviceActivation,
    InterceptorActivation[] interceptors,
    Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker)
    : ServerCallHandlerBase<TService, TRequest, TResponse>(method, definition, options, logger, timeProvider, serviceActivation, interceptors)
    where TService : class
    where TRequest : class
    where TResponse : class
{
    protected override bool StreamingRequest => false;

    protected override async Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call)
    {
        var request = await ReadSingleRequestAsync(httpContext, call).ConfigureAwait(false);
        var writer = new HttpContextStreamWriter<TResponse>(call, Method.ResponseMarshaller.ContextualSerializer);
        var service = CreateService(httpContext, out var created);
        try
        {
            ServerStreamingServerMethod<TRequest, TResponse> next = (r, w, c) => invoker(service, r, w, c);
            for (var i = Interceptors.Length - 1; i >= 0; i--)
            {
                var interceptor = Interceptors[i].Get(httpContext);
                var inner = next;
                next = (r, w, c) => interceptor.ServerStreamingServerHandler(r, w, c, inner);
            }

            await next(request, writer, call).ConfigureAwait(false);
        }
        finally
        {
            writer.Complete();
            if (created)
            {
                await ServiceActivator<TService>.ReleaseAsync(service).ConfigureAwait(false);
            }
        }
    }
}
