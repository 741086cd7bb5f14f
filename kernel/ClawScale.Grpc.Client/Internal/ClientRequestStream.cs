using Grpc.Core;

namespace ClawScale.Grpc.Client.Internal;

/// <summary>The request stream of a client-streaming or duplex call: each message is framed, written and flushed.</summary>
internal sealed class ClientRequestStream<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call, StreamingRequestContent content) : IClientStreamWriter<TRequest>
    where TRequest : class
    where TResponse : class
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private bool _completed;

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(TRequest message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_completed)
        {
            throw new InvalidOperationException("Request stream has already been completed.");
        }

        ThrowIfCallEnded();
        if (!_writeLock.Wait(0))
        {
            throw new InvalidOperationException("Can't write the message because the previous write is in progress.");
        }

        try
        {
            var frame = call.SerializeRequest(message, WriteOptions);
            using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(call.Token, cancellationToken) : null;
            var token = linked?.Token ?? call.Token;
            Stream stream;
            try
            {
                stream = await content.StreamTask.WaitAsync(token).ConfigureAwait(false);
                await stream.WriteAsync(frame, token).ConfigureAwait(false);
                await stream.FlushAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not RpcException)
            {
                ThrowIfCallEnded();
                if (call.Token.IsCancellationRequested || cancellationToken.IsCancellationRequested)
                {
                    throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled while writing a request message.", ex));
                }

                // The stream failed before the call's status arrived (e.g. the server reset it).
                throw new RpcException(new Status(StatusCode.Unavailable, $"Error writing a request message: {ex.GetType().Name}: {ex.Message}", ex));
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task CompleteAsync()
    {
        _completed = true;
        content.Complete();
        return Task.CompletedTask;
    }

    private void ThrowIfCallEnded()
    {
        if (call.CompletedStatus is { } status)
        {
            throw new RpcException(status.StatusCode == StatusCode.OK ? new Status(StatusCode.Internal, "Can't write the message because the call is complete.") : status);
        }
    }
}
