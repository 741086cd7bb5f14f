using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>Runs unary calls: one request message in, one response message out (not flushed: Kestrel sends it with the trailers).</summary>
internal sealed class UnaryServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method,
    ServerMethodDefinition definition,
    GrpcServerOptions options,
    ILogger logger,
    TimeProvider timeProvider,
    ServiceActivation<TService> serviceActivation,
    InterceptorActivation[] interceptors,
    Func<TService, TRequest, ServerCallContext, Task<TResponse>> invoker)
    : ServerCallHandlerBase<TService, TRequest, TResponse>(method, definition, options, logger, timeProvider, serviceActivation, interceptors)
    where TService : class
    where TRequest : class
    where TResponse : class
{
    // Built on first use when the service and every interceptor are singletons: such calls allocate no closures.
    private readonly bool _canSharePipeline = serviceActivation.IsSingleton && Array.TrueForAll(interceptors, i => i.IsSingleton);
    private UnaryServerMethod<TRequest, TResponse>? _sharedPipeline;

    protected override bool StreamingRequest => false;

    protected override async Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call)
    {
        var request = await ReadSingleRequestAsync(httpContext, call).ConfigureAwait(false);
        if (_canSharePipeline)
        {
            var pipeline = _sharedPipeline ??= BuildSharedPipeline();
            var result = await pipeline(request, call).ConfigureAwait(false);
            WriteResponse(call, result);
            return;
        }

        var service = CreateService(httpContext, out var created);
        TResponse response;
        try
        {
            if (Interceptors.Length == 0)
            {
                response = await invoker(service, request, call).ConfigureAwait(false);
            }
            else
            {
                UnaryServerMethod<TRequest, TResponse> next = (r, c) => invoker(service, r, c);
                for (var i = Interceptors.Length - 1; i >= 0; i--)
                {
                    var interceptor = Interceptors[i].Get(httpContext);
                    var inner = next;
                    next = (r, c) => interceptor.UnaryServerHandler(r, c, inner);
                }

                response = await next(request, call).ConfigureAwait(false);
            }
        }
        finally
        {
            if (created)
            {
                await ServiceActivator<TService>.ReleaseAsync(service).ConfigureAwait(false);
            }
        }

        WriteResponse(call, response);
    }

    private void WriteResponse(HttpContextServerCallContext call, TResponse response)
    {
        if (call.Status.StatusCode == StatusCode.OK)
        {
            if (response is null)
            {
                throw new InvalidOperationException("No message returned from method.");
            }

            call.WriteMessage(response, Method.ResponseMarshaller.ContextualSerializer);
        }
    }

    /// <summary>The whole call pipeline (singleton interceptors around the singleton service's method).</summary>
    private UnaryServerMethod<TRequest, TResponse> BuildSharedPipeline()
    {
        var service = ServiceActivation.Singleton;
        UnaryServerMethod<TRequest, TResponse> next = (r, c) => invoker(service, r, c);
        for (var i = Interceptors.Length - 1; i >= 0; i--)
        {
            var interceptor = Interceptors[i].Singleton;
            var inner = next;
            next = (r, c) => interceptor.UnaryServerHandler(r, c, inner);
        }

        return next;
    }
}
