using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>Runs duplex calls: independent request and response streams; each response is flushed.</summary>
internal sealed class DuplexStreamingServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method,
    ServerMethodDefinition definition,
    GrpcServerOptions options,
    ILogger logger,
    TimeProvider timeProvider,
    ServiceActivation<TService> serviceActivation,
    InterceptorActivation[] interceptors,
    Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker)
    : ServerCallHandlerBase<TService, TRequest, TResponse>(method, definition, options, logger, timeProvider, serviceActivation, interceptors)
    where TService : class
    where TRequest : class
    where TResponse : class
{
    protected override bool StreamingRequest => true;

    protected override async Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call)
    {
        var reader = new HttpContextStreamReader<TRequest>(call, CreateReader(httpContext, call), Method.RequestMarshaller.ContextualDeserializer);
        var writer = new HttpContextStreamWriter<TResponse>(call, Method.ResponseMarshaller.ContextualSerializer);
        var service = CreateService(httpContext, out var created);
        try
        {
            DuplexStreamingServerMethod<TRequest, TResponse> next = (r, w, c) => invoker(service, r, w, c);
            for (var i = Interceptors.Length - 1; i >= 0; i--)
            {
                var interceptor = Interceptors[i].Get(httpContext);
                var inner = next;
                next = (r, w, c) => interceptor.DuplexStreamingServerHandler(r, w, c, inner);
            }

            await next(reader, writer, call).ConfigureAwait(false);
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
