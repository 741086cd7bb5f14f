namespace Grpc.Core;

/// <summary>A client server-streaming call in progress: read <see cref="ResponseStream"/> to the end.</summary>
/// <typeparam name="TResponse">The response type.</typeparam>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
{
    private readonly Func<Status> _getStatus;
    private readonly Func<Metadata> _getTrailers;
    private readonly Action _dispose;

    /// <summary>Creates the call object (called by call invokers).</summary>
    public AsyncServerStreamingCall(IAsyncStreamReader<TResponse> responseStream, Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
    {
        ResponseStream = responseStream;
        ResponseHeadersAsync = responseHeadersAsync;
        _getStatus = getStatusFunc;
        _getTrailers = getTrailersFunc;
        _dispose = disposeAction;
    }

    /// <summary>The response stream; <c>MoveNext</c> throws <see cref="RpcException"/> on a non-OK status.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>Completes with the response headers.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>The call status, once the response stream has been read to the end.</summary>
    public Status GetStatus() => _getStatus();

    /// <summary>The response trailers, once the response stream has been read to the end.</summary>
    public Metadata GetTrailers() => _getTrailers();

    /// <summary>Cancels the call if it is still running and frees its resources.</summary>
    public void Dispose() => _dispose();
}
