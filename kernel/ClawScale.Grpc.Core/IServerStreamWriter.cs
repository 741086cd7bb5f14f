namespace Grpc.Core;

/// <summary>The response stream of a server-streaming or duplex call, as seen by the service.</summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>
{
}
