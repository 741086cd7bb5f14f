using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Shared.WeChat;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.WeChat;

/// <summary>
/// One WeChat Official Account: answers the server URL verification (GET), receives message pushes in plain or safe
/// (AES) mode (POST; WeChat "接入指南", "消息加解密说明", "接收普通消息") and sends replies as customer-service messages
/// (message/custom/send), which WeChat allows within 48 hours of the follower's last message.
/// </summary>
public sealed class WeChatChannelAdapter : IChannelAdapter
{
    /// <summary>The answer WeChat expects within 5 s when there is no passive reply ("success" or an empty body).</summary>
    public static readonly ReadOnlyMemory<byte> Success = "success"u8.ToArray();

    private readonly ILogger _logger;
    private readonly string _token;
    private readonly WxBizMsgCrypt? _crypt;

    internal WeChatChannelAdapter(ChannelContext context, WeChatOptions options, string token, WxBizMsgCrypt? crypt, string appSecret)
    {
        _logger = context.Logger;
        Options = options;
        _token = token;
        _crypt = crypt;
        Api = new WeChatApiClient(context.HttpClient, options, appSecret, context.TimeProvider, context.Logger);
    }

    /// <summary>The channel's parsed configuration.</summary>
    public WeChatOptions Options { get; }

    /// <summary>The API client of this channel.</summary>
    public WeChatApiClient Api { get; }

    /// <summary>True when the channel has an EncodingAESKey and accepts safe-mode (encrypted) pushes only.</summary>
    public bool SafeMode => _crypt is not null;

    /// <inheritdoc />
    public bool UsesListener => false;

    /// <summary>
    /// Handles one call to the server URL. Every call carries <c>signature</c> = SHA1(sort(token, timestamp, nonce)) in the
    /// query (constant-time check; 401 and nothing stored when wrong).
    /// <list type="bullet">
    /// <item><description>GET with <c>echostr</c> (URL verification): 200 <c>text/plain</c> with echostr as sent.</description></item>
    /// <item><description>POST with <c>encrypt_type=aes</c> (safe or compatible mode): additionally <c>msg_signature</c> =
    /// SHA1(sort(token, timestamp, nonce, Encrypt)) over the body's <c>&lt;Encrypt&gt;</c> (401 when wrong), decrypted with the
    /// EncodingAESKey, receiveid = the AppID (400 when it does not decrypt).</description></item>
    /// <item><description>POST without it (plain mode): the body is the message XML. Refused with 401 when the channel has an
    /// EncodingAESKey (safe mode), since a plain push's signature does not cover its body.</description></item>
    /// </list>
    /// A text message is accepted and answered <c>success</c> once stored; other pushes are answered <c>success</c> and ignored.
    /// </summary>
    /// <param name="request">The raw call.</param>
    /// <param name="cancellationToken">Unused: the work is synchronous (WeChat waits 5 s).</param>
    /// <returns>The result.</returns>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = WxQuery.Parse(request.QueryString);
        query.TryGetValue("signature", out var signature);
        query.TryGetValue("timestamp", out var timestamp);
        query.TryGetValue("nonce", out var nonce);
        if (string.IsNullOrEmpty(signature) || timestamp is null || nonce is null)
            return Reject(401, "missing signature, timestamp or nonce in the query: not a WeChat push");
        if (!WxBizMsgCrypt.SignatureMatches(signature, _token, timestamp, nonce))
            return Reject(401, "signature does not match (wrong credentials.token, or not sent by WeChat)");

        if (string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            if (!query.TryGetValue("echostr", out var echo) || string.IsNullOrEmpty(echo))
                return Reject(400, "a GET without echostr: not a WeChat URL verification");
            WeChatLog.UrlVerified(_logger);
            return ValueTask.FromResult(new WebhookResult
            {
                ContentType = "text/plain; charset=utf-8",
                ResponseBody = Encoding.UTF8.GetBytes(echo),
                Reason = "WeChat URL verification answered",
            });
        }

        IReadOnlyDictionary<string, string>? fields;
        query.TryGetValue("encrypt_type", out var encryptType);
        if (string.Equals(encryptType, "aes", StringComparison.Ordinal))
        {
            if (_crypt is null)
                return Reject(400, "a safe-mode (encrypt_type=aes) push, but the channel has no credentials.encoding_aes_key; set it to the EncodingAESKey of 服务器配置");
            query.TryGetValue("msg_signature", out var msgSignature);
            string? encrypted = null;
            if (WxXml.TryParse(request.Body.Span, out var outer))
                outer!.TryGetValue("Encrypt", out encrypted);
            if (string.IsNullOrEmpty(msgSignature) || string.IsNullOrEmpty(encrypted))
                return Reject(401, "a safe-mode push without msg_signature or <Encrypt>");
            if (!_crypt.Verify(msgSignature, timestamp, nonce, encrypted))
                return Reject(401, "msg_signature does not match (wrong credentials.token, or the body was altered)");
            if (!_crypt.TryDecrypt(encrypted, out var xml, out var failure))
                return Reject(400, $"the push could not be decrypted: {failure}; check credentials.encoding_aes_key and config.app_id");
            if (!WxXml.TryParse(xml!, out fields))
                return Reject(400, "the decrypted push is not XML");
        }
        else
        {
            if (_crypt is not null)
                return Reject(401, "a plain-mode push, but the channel is in safe mode (it has credentials.encoding_aes_key): plain pushes are refused because their signature does not cover the body");
            if (!WxXml.TryParse(request.Body.Span, out fields))
                return Reject(400, "the body is not the XML of a WeChat push");
        }

        var message = WeChatMapper.FromFields(fields!);
        var inbound = WeChatMapper.TryMap(message, out var reason);
        if (inbound is null)
        {
            WeChatLog.CallbackIgnored(_logger, message.MsgId, reason!);
            return ValueTask.FromResult(WebhookResult.Ignore(reason!) with { ContentType = "text/plain; charset=utf-8", ResponseBody = Success });
        }

        return ValueTask.FromResult(WebhookResult.Accept(inbound) with { ContentType = "text/plain; charset=utf-8", ResponseBody = Success });
    }

    /// <summary>Fetches an access token (checking app_id and app_secret); the kernel then reports the channel connected.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that ends when done.</returns>
    /// <exception cref="InvalidOperationException">WeChat refused the credentials or could not be reached; the message says what to do.</exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var (token, failure) = await Api.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        if (token is null)
            throw new InvalidOperationException(WeChatMapper.TokenProblem(failure!).Problem);
        WeChatLog.Connected(_logger, Options.AppId, SafeMode ? "safe" : "plain");
    }

    /// <summary>Nothing to undo: the server URL is an account setting.</summary>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Not used: WeChat pushes messages.</summary>
    /// <param name="sink">Unused.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>A completed task.</returns>
    public Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Sends the text (split into parts of at most 2048 UTF-8 bytes; attachments as their URLs) to the follower
    /// (<see cref="OutboundMessage.ExternalChatId"/> = OpenID) with message/custom/send. Failures map as in
    /// <see cref="WeChatMapper.ToFailure"/> and, for the token call, <see cref="WeChatMapper.TokenProblem"/>. WeChat returns
    /// no message id, so Delivered carries none.
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

        var parts = WxTextSplitter.Split(text.ToString(), WeChatOptions.MaxTextBytes);
        if (parts.Count == 0)
            return Failed(message, SendResult.Permanent("the message has neither text nor attachment URLs"));

        foreach (var part in parts)
        {
            var (result, tokenFailed) = await Api.SendTextAsync(message.ExternalChatId, part, cancellationToken).ConfigureAwait(false);
            if (result.Ok)
                continue;
            if (!tokenFailed)
                return Failed(message, WeChatMapper.ToFailure(result));
            var (problem, permanent) = WeChatMapper.TokenProblem(result);
            return Failed(message, permanent ? SendResult.Permanent(problem) : SendResult.Retry(problem, result.RetryAfter));
        }

        return SendResult.Delivered(null);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Api.Dispose();
        return ValueTask.CompletedTask;
    }

    private SendResult Failed(OutboundMessage message, SendResult result)
    {
        WeChatLog.SendFailed(_logger, message.DeliveryId, result.Outcome.ToString(), result.Error);
        return result;
    }

    private ValueTask<WebhookResult> Reject(int status, string reason)
    {
        WeChatLog.CallbackRejected(_logger, reason);
        return ValueTask.FromResult(WebhookResult.Reject(status, reason));
    }
}
