using Grpc.Core;

namespace ClawScale.Client.Internal;

/// <summary>
/// A <see cref="CallInvoker"/> decorator: adds <c>authorization: Bearer</c> metadata to every call, the default
/// deadline to unary and client-streaming calls that have none, and retries unary calls that fail with
/// <c>UNAVAILABLE</c> with exponential backoff and jitter (at most <see cref="ClawScaleClientOptions.MaxAttempts"/>).
/// </summary>
internal sealed class ClawScaleCallInvoker(CallInvoker inner, ClawScaleClientOptions options) : CallInvoker
{
    private readonly TimeProvider _time = options.TimeProvider;

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions callOptions, TRequest request) =>
        AsyncUnaryCall(method, host, callOptions, request).ResponseAsync.GetAwaiter().GetResult();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions callOptions, TRequest request)
    {
        callOptions = Prepare(callOptions, withDeadline: true);
        var first = inner.AsyncUnaryCall(method, host, callOptions, request);
        if (options.MaxAttempts <= 1) return first;

        var current = first;
        var response = RetryAsync(first, method, host, callOptions, request, c => current = c);
        var headers = response.ContinueWith(_ => current.ResponseHeadersAsync, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
        return new AsyncUnaryCall<TResponse>(response, headers, () => current.GetStatus(), () => current.GetTrailers(), () => current.Dispose());
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions callOptions, TRequest request) =>
        inner.AsyncServerStreamingCall(method, host, Prepare(callOptions, withDeadline: false), request);

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions callOptions) =>
        inner.AsyncClientStreamingCall(method, host, Prepare(callOptions, withDeadline: true));

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions callOptions) =>
        inner.AsyncDuplexStreamingCall(method, host, Prepare(callOptions, withDeadline: false));

    private async Task<TResponse> RetryAsync<TRequest, TResponse>(
        AsyncUnaryCall<TResponse> call, Method<TRequest, TResponse> method, string? host, CallOptions callOptions, TRequest request, Action<AsyncUnaryCall<TResponse>> setCurrent)
        where TRequest : class
        where TResponse : class
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call.ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && attempt < options.MaxAttempts && !callOptions.CancellationToken.IsCancellationRequested)
            {
                var delay = Backoff(attempt);
                if (callOptions.Deadline is { } deadline && _time.GetUtcNow().UtcDateTime + delay >= deadline) throw;
                try
                {
                    await Task.Delay(delay, _time, callOptions.CancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client while waiting to retry.", e));
                }

                call.Dispose();
                call = inner.AsyncUnaryCall(method, host, callOptions, request);
                setCurrent(call);
            }
        }
    }

    /// <summary>Backoff before retry number <paramref name="attempt"/>: initial × 2^(attempt−1), capped, ±20 % jitter.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var baseMs = Math.Min(options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1), options.MaxBackoff.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Min(baseMs * jitter, options.MaxBackoff.TotalMilliseconds));
    }

    private CallOptions Prepare(CallOptions callOptions, bool withDeadline)
    {
        if (options.ApiKey is { } key && callOptions.Headers?.Get("authorization") is null)
        {
            var headers = new Metadata();
            if (callOptions.Headers is not null)
                foreach (var entry in callOptions.Headers) headers.Add(entry);
            headers.Add("authorization", "Bearer " + key);
            callOptions = callOptions.WithHeaders(headers);
        }

        if (withDeadline && callOptions.Deadline is null && options.DefaultDeadline is { } timeout)
            callOptions = callOptions.WithDeadline(_time.GetUtcNow().UtcDateTime + timeout);
        return callOptions;
    }
}
