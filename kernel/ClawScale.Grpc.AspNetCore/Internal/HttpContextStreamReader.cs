using Grpc.Core;

namespace ClawScale.Grpc.AspNetCore.Internal;

/// <summary>The request stream of a client-streaming or duplex call, read from the request body.</summary>
internal sealed class HttpContextStreamReader<T>(HttpContextServerCallContext context, GrpcMessageReader reader, Func<DeserializationContext, T> deserializer) : IAsyncStreamReader<T>
{
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first and check that it returned true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        var callToken = context.CancellationToken;
        if (!cancellationToken.CanBeCanceled || cancellationToken == callToken)
        {
            return await ReadAsync(callToken).ConfigureAwait(false);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callToken, cancellationToken);
        return await ReadAsync(linked.Token).ConfigureAwait(false);
    }

    private async Task<bool> ReadAsync(CancellationToken token)
    {
        var (hasMessage, message) = await reader.ReadMessageAsync(deserializer, token).ConfigureAwait(false);
        _current = hasMessage ? message : default;
        return hasMessage;
    }
}
