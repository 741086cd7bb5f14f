namespace Grpc.Core;

/// <summary>Extensions for <see cref="IAsyncStreamWriter{T}"/>.</summary>
public static class AsyncStreamWriterExtensions
{
    /// <summary>Writes every message of <paramref name="messages"/> in order.</summary>
    public static async Task WriteAllAsync<T>(this IAsyncStreamWriter<T> writer, IEnumerable<T> messages)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            await writer.WriteAsync(message).ConfigureAwait(false);
        }
    }
}
