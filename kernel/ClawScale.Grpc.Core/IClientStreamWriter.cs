namespace Grpc.Core;

/// <summary>The request stream of a client-streaming or duplex call, as seen by the client.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Ends the request stream (half-close); no more writes are allowed.</summary>
    Task CompleteAsync();
}
