namespace ClawScale.Plugins.Shared.WeChat;

/// <summary>
/// Caches the <c>access_token</c> of one app (WeCom <c>gettoken</c>, WeChat <c>cgi-bin/token</c>: valid
/// <c>expires_in</c> seconds, 7200 by default) until 5 minutes before it expires by the channel's clock, fetches at
/// most one at a time, and drops a token the platform refused (errcode 40001 / 40014 / 42001) so that the next call
/// fetches a new one. Both platforms limit how often a token may be fetched, which is why it is cached.
/// </summary>
internal sealed class WxAccessTokenCache : IDisposable
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);
    private readonly Func<CancellationToken, Task<(string? Token, TimeSpan ExpiresIn, WxApiResult Result)>> _fetch;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _validUntil;

    /// <summary>Creates the cache.</summary>
    /// <param name="fetch">Fetches a new token: the token (null on failure), its lifetime and the call's result.</param>
    /// <param name="time">The channel's clock.</param>
    public WxAccessTokenCache(Func<CancellationToken, Task<(string? Token, TimeSpan ExpiresIn, WxApiResult Result)>> fetch, TimeProvider time)
    {
        _fetch = fetch ?? throw new ArgumentNullException(nameof(fetch));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>How many tokens were fetched (for tests and logs).</summary>
    public int Fetches { get; private set; }

    /// <summary>The cached token when still valid, else a fresh one.</summary>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The token, or the failed fetch's result.</returns>
    public async Task<(string? Token, WxApiResult? Failure)> GetAsync(CancellationToken cancellationToken)
    {
        if (Current() is { } cached)
            return (cached, null);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Current() is { } again)
                return (again, null);
            var (token, expiresIn, result) = await _fetch(cancellationToken).ConfigureAwait(false);
            Fetches++;
            if (token is null)
                return (null, result);
            var lifetime = expiresIn > Margin * 2 ? expiresIn - Margin : expiresIn / 2;
            _token = token;
            _validUntil = _time.GetUtcNow() + lifetime;
            return (token, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> when it is still the cached one (the platform refused it).</summary>
    public void Invalidate(string token)
    {
        if (string.Equals(Volatile.Read(ref _token), token, StringComparison.Ordinal))
            Volatile.Write(ref _token, null);
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private string? Current()
    {
        var token = Volatile.Read(ref _token);
        return token is not null && _time.GetUtcNow() < _validUntil ? token : null;
    }
}
