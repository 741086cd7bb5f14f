using System.Threading.Channels;
using Grpc.Core;

namespace ClawScale.Client.Tests.Runtime;

/// <summary>
/// A <see cref="CallInvoker"/> whose duplex calls are in-memory streams the test plays the kernel on: each Connect
/// becomes a <see cref="Session"/> in <see cref="Sessions"/>.
/// </summary>
internal sealed class FakeRuntimeInvoker : CallInvoker
{
    public Channel<Session> Sessions { get; } = Channel.CreateUnbounded<Session>();

    public sealed class Session
    {
        public Channel<object> Requests { get; } = Channel.CreateUnbounded<object>();
        public Channel<object> Responses { get; } = Channel.CreateUnbounded<object>();

        /// <summary>Ends the call as the kernel would with <paramref name="status"/> (OK: the stream just ends).</summary>
        public void End(Status status) => Responses.Writer.TryComplete(status.StatusCode == StatusCode.OK ? null : new RpcException(status));
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var session = new Session();
        Sessions.Writer.TryWrite(session);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            new Writer<TRequest>(session.Requests.Writer), new Reader<TResponse>(session.Responses.Reader, options.CancellationToken),
            Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => new Metadata(), () => session.Responses.Writer.TryComplete());
    }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw new NotSupportedException();
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw new NotSupportedException();

    private sealed class Writer<T>(ChannelWriter<object> writer) : IClientStreamWriter<T>
    {
        public WriteOptions? WriteOptions { get; set; }
        public Task WriteAsync(T message) => writer.WriteAsync(message!).AsTask();
        public Task CompleteAsync()
        {
            writer.TryComplete();
            return Task.CompletedTask;
        }
    }

    private sealed class Reader<T>(ChannelReader<object> reader, CancellationToken callToken) : IAsyncStreamReader<T>
    {
        public T Current { get; private set; } = default!;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callToken);
            try
            {
                if (!await reader.WaitToReadAsync(linked.Token)) return false;
            }
            catch (OperationCanceledException)
            {
                throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
            }

            Current = (T)(await reader.ReadAsync(linked.Token));
            return true;
        }
    }
}
