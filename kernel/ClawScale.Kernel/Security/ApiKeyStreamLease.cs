using Grpc.Core;

namespace ClawScale.Kernel.Security;

/// <summary>
/// One long-lived gRPC stream opened with an API key, tracked by <see cref="ApiKeyStreamGuard"/>: its
/// <see cref="Token"/> is cancelled when the call ends or when the key is revoked (or its tenant deleted). A handler
/// runs its loop on <see cref="Token"/> and, once it stops with <see cref="IsRevoked"/> set, throws
/// <see cref="RevokedError"/> (UNAUTHENTICATED). Dispose it when the stream ends.
/// </summary>
internal sealed class ApiKeyStreamLease : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly Action<ApiKeyStreamLease> _forget;
    private int _revoked;

    public ApiKeyStreamLease(string keyId, CancellationToken callCancelled, Action<ApiKeyStreamLease> forget)
    {
        KeyId = keyId;
        _forget = forget;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(callCancelled);
        Token = _cts.Token;
    }

    /// <summary>The id of the key the stream was opened with.</summary>
    public string KeyId { get; }

    /// <summary>Cancelled when the call ends or the key is revoked.</summary>
    public CancellationToken Token { get; }

    /// <summary>Whether the key was revoked (or deleted with its tenant) while the stream was open.</summary>
    public bool IsRevoked => Volatile.Read(ref _revoked) == 1;

    /// <summary>The status a revoked stream ends with: UNAUTHENTICATED, saying why and what to do.</summary>
    public static RpcException RevokedError() => new(new Status(StatusCode.Unauthenticated,
        "The API key of this stream was revoked (or its tenant deleted) while the stream was open; reconnect with a current key."));

    /// <summary>Marks the stream revoked and cancels <see cref="Token"/>; only the first call has an effect.</summary>
    internal void Revoke()
    {
        if (Interlocked.Exchange(ref _revoked, 1) != 0) return;
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stream ended meanwhile.
        }
    }

    /// <summary>Stops tracking the stream.</summary>
    public void Dispose()
    {
        _forget(this);
        _cts.Dispose();
    }
}
