using Grpc.Core;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>The response stream of a server-streaming or duplex call; each message is flushed.</summary>
internal sealed class HttpContextStreamWriter<T>(HttpContextServerCallContext context, Action<T, SerializationContext> serializer) : IServerStreamWriter<T>
{
    private int _writing;
    private bool _completed;

    public WriteOptions? WriteOptions
    {
        get => context.WriteOptions;
        set => context.WriteOptions = value;
    }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_completed)
        {
            throw new InvalidOperationException("Can't write the message because the call is complete.");
        }

        if (Interlocked.Exchange(ref _writing, 1) == 1)
        {
            throw new InvalidOperationException("Can't write the message because the previous write is in progress.");
        }

        try
        {
            context.WriteMessage(message, serializer);
            var token = cancellationToken.CanBeCanceled ? cancellationToken : context.CancellationToken;
            await context.HttpContext.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }

    public void Complete() => _completed = true;
}
