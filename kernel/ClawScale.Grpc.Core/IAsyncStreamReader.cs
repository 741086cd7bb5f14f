namespace Grpc.Core;

/// <summary>Reads a stream of messages, one at a time.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>Advances to the next message; <c>false</c> at the end of the stream.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="RpcException">The call failed (client side) or a message was invalid.</exception>
    Task<bool> MoveNext(CancellationToken cancellationToken);
}
