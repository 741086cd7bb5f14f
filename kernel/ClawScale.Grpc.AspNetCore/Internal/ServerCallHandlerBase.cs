using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>
/// Shared part of the four call handlers: request validation (HTTP/2, content type), the call context, and
/// turning the outcome into a status exactly once.
/// </summary>
internal abstract class ServerCallHandlerBase<TService, TRequest, TResponse>
    where TService : class
    where TRequest : class
    where TResponse : class
{
    protected ServerCallHandlerBase(Method<TRequest, TResponse> method, ServerMethodDefinition definition, GrpcServerOptions options, ILogger logger, TimeProvider timeProvider, ServiceActivation<TService> serviceActivation, InterceptorActivation[] interceptors)
    {
        ServiceActivation = serviceActivation;
        Method = method;
        Definition = definition;
        Options = options;
        Logger = logger;
        TimeProvider = timeProvider;
        Interceptors = interceptors;
    }

    protected Method<TRequest, TResponse> Method { get; }

    protected ServerMethodDefinition Definition { get; }

    protected GrpcServerOptions Options { get; }

    protected ILogger Logger { get; }

    protected TimeProvider TimeProvider { get; }

    /// <summary>The configured interceptors, outermost first.</summary>
    protected InterceptorActivation[] Interceptors { get; }

    protected ServiceActivation<TService> ServiceActivation { get; }

    protected TService CreateService(HttpContext httpContext, out bool created) => ServiceActivation.Create(httpContext, out created);

    protected abstract bool StreamingRequest { get; }

    public Task HandleCallAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            return RejectAsync(httpContext, StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{request.ContentType}' is not supported; gRPC requests use 'application/grpc'.");
        }

        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            return RejectAsync(httpContext, StatusCodes.Status426UpgradeRequired, $"Request protocol '{request.Protocol}' is not supported; gRPC needs HTTP/2.");
        }

        return HandleAsync(httpContext);
    }

    private async Task HandleAsync(HttpContext httpContext)
    {
        var call = new HttpContextServerCallContext(httpContext, Definition, Options, Logger);
        try
        {
            call.Initialize(TimeProvider, StreamingRequest);
            await HandleCallCoreAsync(httpContext, call).ConfigureAwait(false);
            call.EndCall(call.Status, null);
        }
        catch (Exception ex)
        {
            var status = call.ProcessHandlerError(ex, out var trailers);
            call.EndCall(status, trailers);
        }
        finally
        {
            call.Dispose();
        }
    }

    protected abstract Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call);

    protected GrpcMessageReader CreateReader(HttpContext httpContext, HttpContextServerCallContext call) =>
        new(httpContext.Request.BodyReader, Options.MaxReceiveMessageSize, call.RequestEncoding);

    protected ValueTask<TRequest> ReadSingleRequestAsync(HttpContext httpContext, HttpContextServerCallContext call) =>
        CreateReader(httpContext, call).ReadSingleMessageAsync(Method.RequestMarshaller.ContextualDeserializer, call.CancellationToken);

    private Task RejectAsync(HttpContext httpContext, int httpStatus, string reason)
    {
        GrpcServerLog.UnsupportedRequest(Logger, Definition.FullName, httpStatus, reason);
        var response = httpContext.Response;
        response.StatusCode = httpStatus;
        response.Headers[GrpcProtocol.StatusHeader] = ((int)StatusCode.Internal).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers[GrpcProtocol.MessageHeader] = GrpcPercentEncoding.Encode(reason);
        return Task.CompletedTask;
    }
}
