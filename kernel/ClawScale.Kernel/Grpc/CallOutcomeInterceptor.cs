using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using ClawScale.Kernel.Telemetry;

namespace ClawScale.Kernel.Grpc;

/// <summary>
/// The outermost server interceptor. It gives every call the status it should end with and counts it:
/// <list type="bullet">
/// <item>a call whose client reset or cancelled it (HTTP/2 RST_STREAM, connection closed) ends as <c>CANCELLED</c> (1),
/// logged once at Debug without a stack trace; so does a handler's <see cref="IOException"/> or
/// <see cref="OperationCanceledException"/> before its deadline, since only the client's going away raises those there. Without it grpc-dotnet ends such calls with <c>UNKNOWN</c> (2) when the
/// handler's read or write throws <see cref="IOException"/> or <see cref="OperationCanceledException"/>, and logs the
/// exception (gRPC over HTTP/2 spec, "Errors": a cancelled call is CANCELLED);</item>
/// <item>a handler that gives up because the call's deadline passed ends as <c>DEADLINE_EXCEEDED</c> (4), which is
/// what the client sees too;</item>
/// <item>every call is recorded in the histogram <c>rpc.server.call.duration</c> (seconds; OpenTelemetry RPC semantic
/// conventions: <c>rpc.system</c> = grpc, <c>rpc.method</c> = <c>package.Service/Method</c>,
/// <c>rpc.response.status_code</c> = the status name, e.g. <c>CANCELLED</c>) of the meter <see cref="MeterName"/>;</item>
/// <item>a call refused for its API key (UNAUTHENTICATED from <see cref="Security.ApiKeyAuthInterceptor"/> or a revoked
/// stream, PERMISSION_DENIED from a service) is counted in <c>clawscale.api.auth.failures</c> (<see cref="KernelMetrics.AuthFailed"/>).</item>
/// </list>
/// Any other exception is left to grpc-dotnet (<c>UNKNOWN</c>, logged at Error); <see cref="RpcException"/>s pass
/// through unchanged.
/// </summary>
internal sealed partial class CallOutcomeInterceptor : Interceptor
{
    /// <summary>The name of the kernel's gRPC meter.</summary>
    public const string MeterName = "ClawScale.Kernel.Grpc";

    private readonly ILogger<CallOutcomeInterceptor> _logger;
    private readonly TimeProvider _time;
    private readonly Histogram<double> _duration;
    private readonly KernelMetrics _metrics;

    /// <summary>Creates the interceptor and its histogram on <paramref name="meters"/>.</summary>
    public CallOutcomeInterceptor(IMeterFactory meters, KernelMetrics metrics, TimeProvider time, ILogger<CallOutcomeInterceptor> logger)
    {
        _logger = logger;
        _time = time;
        _metrics = metrics;
        // Buckets in seconds, as the semantic conventions give for RPC and HTTP durations (the SDK default is for milliseconds).
        _duration = meters.Create(MeterName).CreateHistogram<double>("rpc.server.call.duration", unit: "s",
            description: "Duration of gRPC calls served by the kernel, by method and final status.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] });
    }

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(request, context));

    /// <inheritdoc />
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(requestStream, context));

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });

    /// <inheritdoc />
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, async () =>
        {
            await continuation(requestStream, responseStream, context);
            return true;
        });

    /// <summary>Runs the rest of the pipeline for one call, gives it its final status and records it.</summary>
    private async Task<T> ObserveAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        var started = _time.GetTimestamp();
        var status = StatusCode.Unknown;
        try
        {
            var result = await call();
            status = StatusCode.OK;
            return result;
        }
        catch (Exception e) when (Classify(e, context, out status) is { } replacement)
        {
            throw replacement;
        }
        finally
        {
            Record(context, status, started);
        }
    }

    /// <summary>
    /// The status <paramref name="e"/> ends the call with, and the exception to throw instead of it (null: let it
    /// through). Runs as an exception filter, so the stack is not unwound for exceptions passed through.
    /// </summary>
    private RpcException? Classify(Exception e, ServerCallContext context, out StatusCode status)
    {
        if (e is RpcException rpc)
        {
            status = rpc.StatusCode;
            return null;
        }

        var deadlinePassed = context.Deadline <= _time.GetUtcNow().UtcDateTime;
        if (e is OperationCanceledException && context.CancellationToken.IsCancellationRequested && deadlinePassed)
        {
            status = StatusCode.DeadlineExceeded;
            return new RpcException(new Status(StatusCode.DeadlineExceeded, "The call's deadline (grpc-timeout) passed before the kernel finished it."));
        }

        // Kestrel fails the handler's read with IOException ("The client reset the request stream") and its write or
        // the call's token with OperationCanceledException, sometimes before RequestAborted is signalled.
        if (context.GetHttpContext().RequestAborted.IsCancellationRequested || e is IOException or OperationCanceledException)
        {
            status = StatusCode.Cancelled;
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                var exceptionType = e.GetType();
                LogCancelled(_logger, context.Method, context.Peer, exceptionType);
            }

            // No debug exception on the status: grpc-dotnet would log it, stack trace and all.
            return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled by the client."));
        }

        status = StatusCode.Unknown;
        return null;
    }

    private void Record(ServerCallContext context, StatusCode status, long started)
    {
        if (status is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
            _metrics.AuthFailed(context.Method.TrimStart('/'), status == StatusCode.Unauthenticated ? "unauthenticated" : "permission_denied");
        if (!_duration.Enabled) return;
        // A handler that returned after its client reset the stream: the client got no answer, so the call was cancelled.
        if (status == StatusCode.OK && context.GetHttpContext().RequestAborted.IsCancellationRequested) status = StatusCode.Cancelled;
        var tags = new TagList
        {
            { "rpc.system", "grpc" },
            { "rpc.method", context.Method.TrimStart('/') },
            { "rpc.response.status_code", StatusName(status) },
        };
        _duration.Record(_time.GetElapsedTime(started).TotalSeconds, tags);
    }

    /// <summary>The status name as the gRPC spec spells it (<c>DEADLINE_EXCEEDED</c>).</summary>
    internal static string StatusName(StatusCode status) => status switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [LoggerMessage(EventId = 1301, Level = LogLevel.Debug, Message = "Call to {Method} from {Peer} cancelled by the client ({ExceptionType} in the handler)")]
    private static partial void LogCancelled(ILogger logger, string method, string peer, Type exceptionType);
}
