using ClawScale.Plugins.Shared.WeChat;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.WeCom;

/// <summary>
/// The HTTP seam to WeCom's server API (WeCom "服务端API"): <c>GET gettoken?corpid=&amp;corpsecret=</c> (access token,
/// cached by <see cref="WxAccessTokenCache"/> until shortly before <c>expires_in</c>) and
/// <c>POST message/send?access_token=</c>. Calls go through the channel's HttpClient (the kernel's outbound guard).
/// </summary>
public sealed class WeComApiClient : IDisposable
{
    private readonly WxApiTransport _transport;
    private readonly WxAccessTokenCache _tokens;
    private readonly Uri _baseUrl;
    private readonly ILogger _logger;

    internal WeComApiClient(HttpClient http, WeComOptions options, string corpSecret, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _baseUrl = options.ApiBaseUrl;
        _logger = logger;
        _transport = new WxApiTransport(http, options.RequestTimeout, time);
        var tokenUrl = new Uri(_baseUrl, $"gettoken?corpid={Uri.EscapeDataString(options.CorpId)}&corpsecret={Uri.EscapeDataString(corpSecret)}");
        _tokens = new WxAccessTokenCache(async ct =>
        {
            var result = await _transport.SendAsync(tokenUrl, null, "gettoken", ct).ConfigureAwait(false);
            var token = result.Ok ? result.String("access_token") : null;
            if (token is null)
                WeComLog.CallFailed(_logger, "gettoken", result.Ok ? "no access_token in the answer" : result.Describe());
            var expires = result.Int64("expires_in") is { } s and > 0 ? TimeSpan.FromSeconds(s) : TimeSpan.FromSeconds(7200);
            return (token, expires, result);
        }, time);
    }

    /// <summary>How many access tokens were fetched so far.</summary>
    public int TokenFetches => _tokens.Fetches;

    /// <summary>The cached access token, or a fresh one from gettoken.</summary>
    internal Task<(string? Token, WxApiResult? Failure)> GetTokenAsync(CancellationToken cancellationToken) => _tokens.GetAsync(cancellationToken);

    /// <summary>Sends one text with message/send; refreshes the token once when WeCom refuses it (40001/40014/42001).</summary>
    /// <param name="toUser">The member's UserID.</param>
    /// <param name="agentId">The app's AgentId.</param>
    /// <param name="content">At most 2048 UTF-8 bytes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer (<c>msgid</c>, <c>invaliduser</c> on success), or the token fetch's failure (TokenFailed).</returns>
    internal async Task<(WxApiResult Result, bool TokenFailed)> SendTextAsync(string toUser, long agentId, string content, CancellationToken cancellationToken)
    {
        var body = WeComMapper.TextBody(toUser, agentId, content);
        WxApiResult? result = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var (token, failure) = await _tokens.GetAsync(cancellationToken).ConfigureAwait(false);
            if (token is null)
                return (failure!, true);
            result = await _transport.SendAsync(new Uri(_baseUrl, "message/send?access_token=" + Uri.EscapeDataString(token)), body, "message/send", cancellationToken).ConfigureAwait(false);
            if (!WeComMapper.IsTokenError(result.ErrCode))
                break;
            WeComLog.TokenRefused(_logger, result.ErrCode!.Value);
            _tokens.Invalidate(token);
        }

        if (!result!.Ok)
            WeComLog.CallFailed(_logger, "message/send", result.Describe());
        return (result, false);
    }

    /// <inheritdoc />
    public void Dispose() => _tokens.Dispose();
}
