using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Shared.WeChat;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.WeCom;

/// <summary>
/// One WeCom self-built application: answers the callback URL verification (GET), receives encrypted XML callbacks
/// (POST; WeCom "接收消息与事件", "加解密方案说明") and sends text with message/send ("发送应用消息").
/// </summary>
public sealed class WeComChannelAdapter : IChannelAdapter
{
    private readonly ChannelContext _context;
    private readonly ILogger _logger;
    private readonly WxBizMsgCrypt _crypt;
    private readonly WeComMemberLimiter _limiter;

    internal WeComChannelAdapter(ChannelContext context, WeComOptions options, WxBizMsgCrypt crypt, string corpSecret)
    {
        _context = context;
        _logger = context.Logger;
        Options = options;
        _crypt = crypt;
        _limiter = new WeComMemberLimiter(options.PerMemberPerMinute);
        Api = new WeComApiClient(context.HttpClient, options, corpSecret, context.TimeProvider, context.Logger);
    }

    /// <summary>The channel's parsed configuration.</summary>
    public WeComOptions Options { get; }

    /// <summary>The server API client of this channel.</summary>
    public WeComApiClient Api { get; }

    /// <inheritdoc />
    public bool UsesListener => false;

    /// <summary>
    /// Handles one call to the callback URL. The query's <c>msg_signature</c> must equal SHA1(sort(token, timestamp, nonce,
    /// encrypted)) (constant-time), otherwise 401 and nothing is stored.
    /// <list type="bullet">
    /// <item><description>GET with <c>msg_signature</c>, <c>timestamp</c>, <c>nonce</c>, <c>echostr</c> (URL verification when the
    /// admin saves the callback settings): 200 <c>text/plain</c> with the decrypted echostr, no quotes, BOM or line break.</description></item>
    /// <item><description>POST of <c>&lt;xml&gt;&lt;ToUserName/&gt;&lt;AgentID/&gt;&lt;Encrypt/&gt;&lt;/xml&gt;</c>: the Encrypt text is
    /// verified, decrypted (receiveid must be the corp id) and mapped by <see cref="WeComMapper"/>; 200 with an empty body
    /// (no passive reply) after the kernel stored the message. A body that is not such XML, or does not decrypt → 400.</description></item>
    /// </list>
    /// </summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Unused: the work is synchronous (WeCom waits 5 s).</param>
    /// <returns>The result.</returns>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = WxQuery.Parse(request.QueryString);
        query.TryGetValue("msg_signature", out var signature);
        query.TryGetValue("timestamp", out var timestamp);
        query.TryGetValue("nonce", out var nonce);
        if (string.IsNullOrEmpty(signature) || timestamp is null || nonce is null)
            return Reject(401, "missing msg_signature, timestamp or nonce in the query: not a WeCom callback");

        if (string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase))
            return VerifyUrl(query, signature, timestamp, nonce);

        string? encrypted = null;
        if (WxXml.TryParse(request.Body.Span, out var outer))
            outer!.TryGetValue("Encrypt", out encrypted);
        if (string.IsNullOrEmpty(encrypted))
        {
            // Without the Encrypt text there is nothing the signature could cover: refuse as unauthenticated.
            return Reject(401, "the body has no <Encrypt> element, so msg_signature cannot be checked");
        }

        if (!_crypt.Verify(signature, timestamp, nonce, encrypted))
            return Reject(401, "msg_signature does not match (wrong credentials.token, or not sent by WeCom)");

        if (!_crypt.TryDecrypt(encrypted, out var xml, out var failure))
            return Reject(400, $"the callback could not be decrypted: {failure}; check credentials.encoding_aes_key and config.corp_id");

        if (!WxXml.TryParse(xml!, out var fields))
            return Reject(400, "the decrypted callback is not XML");

        var message = WeComMapper.FromFields(fields!);
        var inbound = WeComMapper.TryMap(message, Options.AgentId, out var reason);
        if (inbound is null)
        {
            WeComLog.CallbackIgnored(_logger, message.MsgId, reason!);
            return ValueTask.FromResult(WebhookResult.Ignore(reason!));
        }

        return ValueTask.FromResult(WebhookResult.Accept(inbound));
    }

    /// <summary>Fetches an access token with gettoken (checking corp_id and corp_secret); the kernel then reports the channel connected.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when done.</returns>
    /// <exception cref="InvalidOperationException">WeCom refused the credentials or could not be reached; the message says what to do.</exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var (token, failure) = await Api.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        if (token is null)
            throw new InvalidOperationException(TokenProblem(failure!));
        WeComLog.Connected(_logger, Options.AgentId, Options.CorpId);
    }

    /// <summary>Nothing to undo: the callback URL is an app setting in the WeCom admin console.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Not used: WeCom pushes callbacks.</summary>
    /// <param name="sink">Unused.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Sends the text (split into parts of at most 2048 UTF-8 bytes; attachments are sent as their URLs) to the member
    /// (<see cref="OutboundMessage.ExternalChatId"/> = UserID) with message/send. A member over
    /// <see cref="WeComOptions.PerMemberPerMinute"/> → retry after the window frees. Failures map as in
    /// <see cref="WeComMapper.ToFailure"/>; a gettoken failure as in <see cref="TokenProblem"/>. A non-empty
    /// <c>invaliduser</c> in a success answer → dead letter (the member is outside the app's visible range or left).
    /// Delivered reports the last part's <c>msgid</c>.
    /// </summary>
    /// <param name="message">What to send and where.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The outcome.</returns>
    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = new StringBuilder(message.Text ?? string.Empty);
        foreach (var attachment in message.Attachments)
        {
            if (attachment.Url is { } url)
                text.Append(text.Length > 0 ? "\n" : string.Empty).Append(url);
        }

        var parts = WxTextSplitter.Split(text.ToString(), WeComOptions.MaxTextBytes);
        if (parts.Count == 0)
            return Failed(message, SendResult.Permanent("the message has neither text nor attachment URLs"));

        var wait = _limiter.TryTake(message.ExternalChatId, _context.TimeProvider.GetUtcNow(), parts.Count);
        if (wait > TimeSpan.Zero)
        {
            WeComLog.MemberLimited(_logger, message.DeliveryId, Options.PerMemberPerMinute, wait.TotalMilliseconds);
            return SendResult.Retry($"WeCom allows {Options.PerMemberPerMinute} messages a minute to one member; held back", wait);
        }

        string? lastId = null;
        foreach (var part in parts)
        {
            var (result, tokenFailed) = await Api.SendTextAsync(message.ExternalChatId, Options.AgentId, part, cancellationToken).ConfigureAwait(false);
            if (!result.Ok)
                return Failed(message, tokenFailed ? TokenFailure(result) : WeComMapper.ToFailure(result));

            if (result.String("invaliduser") is { Length: > 0 } invalid)
                return Failed(message, SendResult.Permanent($"WeCom did not deliver to UserID {invalid} (invaliduser): the member is outside the app's visible range (可见范围) or has left"));
            lastId = result.String("msgid") ?? lastId;
        }

        return SendResult.Delivered(lastId);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Api.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// What a failed gettoken means for admins: errcode 40013 (invalid corpid) / 40001 / 40091 (invalid secret) → check
    /// config.corp_id and credentials.corp_secret; otherwise the errcode and errmsg or the transport error.
    /// </summary>
    internal static string TokenProblem(WxApiResult failure) => failure.ErrCode switch
    {
        40013 => $"WeCom gettoken refused config.corp_id ({failure.Describe()}); set it to the corp id from 我的企业 → 企业信息",
        40001 or 40091 => $"WeCom gettoken refused credentials.corp_secret ({failure.Describe()}); set it to the app's current Secret",
        _ => $"WeCom gettoken failed: {failure.Describe()}",
    };

    private static SendResult TokenFailure(WxApiResult result) => result.ErrCode is 40013 or 40001 or 40091
        ? SendResult.Permanent(TokenProblem(result))
        : WeComMapper.ToFailure(result);

    private SendResult Failed(OutboundMessage message, SendResult result)
    {
        WeComLog.SendFailed(_logger, message.DeliveryId, result.Outcome.ToString(), result.Error);
        return result;
    }

    private ValueTask<WebhookResult> VerifyUrl(IReadOnlyDictionary<string, string> query, string signature, string timestamp, string nonce)
    {
        var echo = WxQuery.Base64(query, "echostr");
        if (string.IsNullOrEmpty(echo))
            return Reject(401, "a GET without echostr: not a WeCom URL verification");
        if (!_crypt.Verify(signature, timestamp, nonce, echo))
            return Reject(401, "msg_signature does not match (wrong credentials.token, or not sent by WeCom)");
        if (!_crypt.TryDecrypt(echo, out var plain, out var failure))
            return Reject(400, $"echostr could not be decrypted: {failure}; check credentials.encoding_aes_key and config.corp_id");
        WeComLog.UrlVerified(_logger);
        return ValueTask.FromResult(new WebhookResult
        {
            ContentType = "text/plain; charset=utf-8",
            ResponseBody = Encoding.UTF8.GetBytes(plain!),
            Reason = "WeCom URL verification answered",
        });
    }

    private ValueTask<WebhookResult> Reject(int status, string reason)
    {
        WeComLog.CallbackRejected(_logger, reason);
        return ValueTask.FromResult(WebhookResult.Reject(status, reason));
    }
}
