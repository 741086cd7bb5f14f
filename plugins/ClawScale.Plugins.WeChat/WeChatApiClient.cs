using ClawScale.Plugins.Shared.WeChat;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.WeChat;

/// <summary>
/// The HTTP seam to the Official Account API: <c>GET token?grant_type=client_credential&amp;appid=&amp;secret=</c> (cached by
/// <see cref="WxAccessTokenCache"/> until shortly before <c>expires_in</c>) and <c>POST message/custom/send?access_token=</c>.
/// Calls go through the channel's HttpClient (the kernel's outbound guard).
/// </summary>
public sealed class WeChatApiClient : IDisposable
{
    private readonly WxApiTransport _transport;
    private readonly WxAccessTokenCache _tokens;
    private readonly Uri _baseUrl;
    private readonly ILogger _logger;

    internal WeChatApiClient(HttpClient http, WeChatOptions options, string appSecret, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _baseUrl = options.ApiBaseUrl;
        _logger = logger;
        _transport = new WxApiTransport(http, options.RequestTimeout, time);
        var tokenUrl = new Uri(_baseUrl, $"token?grant_type=client_credential&appid={Uri.EscapeDataString(options.AppId)}&secret={Uri.EscapeDataString(appSecret)}");
        _tokens = new WxAccessTokenCache(async ct =>
        {
            var result = await _transport.SendAsync(tokenUrl, null, "token", ct).ConfigureAwait(false);
            var token = result.Ok ? result.String("access_token") : null;
            if (token is null)
                WeChatLog.CallFailed(_logger, "token", result.Ok ? "no access_token in the answer" : result.Describe());
            var expires = result.Int64("expires_in") is { } s and > 0 ? TimeSpan.FromSeconds(s) : TimeSpan.FromSeconds(7200);
            return (token, expires, result);
        }, time);
    }

    /// <summary>How many access tokens were fetched so far.</summary>
    public int TokenFetches => _tokens.Fetches;

    internal Task<(string? Token, WxApiResult? Failure)> GetTokenAsync(CancellationToken cancellationToken) => _tokens.GetAsync(cancellationToken);

    /// <summary>Sends one customer-service text; refreshes the token once when WeChat refuses it (40001/40014/42001).</summary>
    /// <returns>The answer, or the token fetch's failure (TokenFailed).</returns>
    internal async Task<(WxApiResult Result, bool TokenFailed)> SendTextAsync(string openId, string content, CancellationToken cancellationToken)
    {
        var body = WeChatMapper.TextBody(openId, content);
        WxApiResult? result = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var (token, failure) = await _tokens.GetAsync(cancellationToken).ConfigureAwait(false);
            if (token is null)
                return (failure!, true);
            result = await _transport.SendAsync(new Uri(_baseUrl, "message/custom/send?access_token=" + Uri.EscapeDataString(token)), body, "message/custom/send", cancellationToken).ConfigureAwait(false);
            if (!WeChatMapper.IsTokenError(result.ErrCode))
                break;
            WeChatLog.TokenRefused(_logger, result.ErrCode!.Value);
            _tokens.Invalidate(token);
        }

        if (!result!.Ok)
            WeChatLog.CallFailed(_logger, "message/custom/send", result.Describe());
        return (result, false);
    }

    /// <inheritdoc />
    public void Dispose() => _tokens.Dispose();
}
