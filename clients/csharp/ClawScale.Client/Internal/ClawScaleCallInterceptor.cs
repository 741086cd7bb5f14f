using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ClawScale.Client.Internal;

/// <summary>
/// A client <see cref="Interceptor"/> (Grpc.Core.Api): adds <c>authorization: Bearer</c> metadata to every call (a
/// header the caller set wins) and the default deadline to unary and client-streaming calls that have none. Retries are
/// the channel's (gRPC retry policy, see <see cref="ClawScaleClient"/>), not this interceptor's.
/// </summary>
internal sealed class ClawScaleCallInterceptor(ClawScaleClientOptions options) : Interceptor
{
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Prepare(context, withDeadline: true));

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Prepare(context, withDeadline: true));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Prepare(context, withDeadline: false));

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(Prepare(context, withDeadline: true));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(Prepare(context, withDeadline: false));

    private ClientInterceptorContext<TRequest, TResponse> Prepare<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, bool withDeadline)
        where TRequest : class
        where TResponse : class
    {
        var callOptions = context.Options;
        if (options.ApiKey is { } key && callOptions.Headers?.Get("authorization") is null)
        {
            var headers = new Metadata();
            if (callOptions.Headers is not null)
                foreach (var entry in callOptions.Headers) headers.Add(entry);
            headers.Add("authorization", "Bearer " + key);
            callOptions = callOptions.WithHeaders(headers);
        }

        if (withDeadline && callOptions.Deadline is null && options.DefaultDeadline is { } timeout)
            callOptions = callOptions.WithDeadline(options.TimeProvider.GetUtcNow().UtcDateTime + timeout);
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, callOptions);
    }
}
