using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>Runs client-streaming calls: a stream of requests in, one response out.</summary>
internal sealed class ClientStreamingServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method,
    ServerMethodDefinition definition,
    GrpcServerOptions options,
    ILogger logger,
    TimeProvider timeProvider,
    ServiceActivation<TService> serviceActivation,
    InterceptorActivation[] interceptors,
    Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> invoker)
    : ServerCallHandlerBase<TService, TRequest, TResponse>(method, definition, options, logger, timeProvider, serviceActivation, interceptors)
    where TService : class
    where TRequest : class
    where TResponse : class
{
    protected override bool StreamingRequest => true;

    protected override async Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call)
    {
        var reader = new HttpContextStreamReader<TRequest>(call, CreateReader(httpContext, call), Method.RequestMarshaller.ContextualDeserializer);
        var service = CreateService(httpContext, out var created);
        TResponse response;
        try
        {
            ClientStreamingServerMethod<TRequest, TResponse> next = (r, c) => invoker(service, r, c);
            for (var i = Interceptors.Length - 1; i >= 0; i--)
            {
                var interceptor = Interceptors[i].Get(httpContext);
                var inner = next;
                next = (r, c) => interceptor.ClientStreamingServerHandler(r, c, inner);
            }

            response = await next(reader, call).ConfigureAwait(false);
        }
        finally
        {
            if (created)
            {
                await ServiceActivator<TService>.ReleaseAsync(service).ConfigureAwait(false);
            }
        }

        if (call.Status.StatusCode == StatusCode.OK)
        {
            if (response is null)
            {
                throw new InvalidOperationException("No message returned from method.");
            }

            call.WriteMessage(response, Method.ResponseMarshaller.ContextualSerializer);
        }
    }
}
