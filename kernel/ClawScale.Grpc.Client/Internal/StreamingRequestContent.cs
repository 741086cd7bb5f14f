using System.Net;

namespace ClawScale.Grpc.Client.Internal;

/// <summary>
/// Request content for streaming calls: hands the HTTP/2 request stream to the writer and stays open until
/// the writer completes (half-close) or the call ends. Each message is written and flushed by the writer.
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _streamTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completeTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<Stream> StreamTask => _streamTcs.Task;

    public bool IsCompleted => _completeTcs.Task.IsCompleted;

    public void Complete()
    {
        _streamTcs.TrySetException(new InvalidOperationException("The call has completed."));
        _completeTcs.TrySetResult();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _streamTcs.TrySetResult(stream);
        await _completeTcs.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
