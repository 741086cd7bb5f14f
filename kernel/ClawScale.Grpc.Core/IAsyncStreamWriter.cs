namespace Grpc.Core;

/// <summary>Writes a stream of messages; one write at a time.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IAsyncStreamWriter<in T>
{
    /// <summary>Options for the next writes; may be <c>null</c>.</summary>
    WriteOptions? WriteOptions { get; set; }

    /// <summary>Writes (and flushes) one message.</summary>
    /// <param name="message">The message.</param>
    Task WriteAsync(T message);

    /// <summary>Writes (and flushes) one message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task WriteAsync(T message, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? throw new NotSupportedException("This writer does not support cancellation tokens.") : WriteAsync(message);
}
