using ClawScale.Kernel.Pipeline.Accept;
using System.Buffers;
using System.Globalization;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Telemetry;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Hosting;
using ClawScale.Plugins.Logging;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Channels;

/// <summary>
/// <c>POST /webhooks/{channelId}</c> (and <c>GET</c>, for platforms that verify a callback URL with a GET: Meta's
/// <c>hub.challenge</c>, WeCom's and WeChat's <c>echostr</c>; the adapter answers it and other adapters refuse it): the
/// platform-facing entry of the pipeline. The channel's adapter verifies the
/// signature and parses the body; its messages are accepted durably; only then is the platform answered (2xx), so a
/// platform that got an acknowledgement never loses a message. Answers (RFC 9110 §15 status codes, a plain-text body
/// saying what was wrong):
/// <list type="bullet">
/// <item><description>404: unknown or archived channel id (nothing read or stored).</description></item>
/// <item><description>413: body over <see cref="PipelineOptions.MaxWebhookBodyBytes"/>, announced by Content-Length
/// (refused before reading) or found while reading a chunked body (reading stops at the limit).</description></item>
/// <item><description>The adapter's 4xx for bad signatures (401) or malformed bodies (400); nothing stored.</description></item>
/// <item><description>A sender over the per-sender inbound limit (<see cref="PipelineOptions.SenderMessagesPerMinute"/>):
/// its messages are not stored, and the platform gets 429 with <c>Retry-After</c> when the adapter asks for it
/// (<see cref="WebhookResult.RefuseWhenSenderLimited"/>, the generic webhook channel), otherwise the adapter's usual
/// answer (Telegram, Slack, Discord: a non-2xx would hold back the bot's other users); the limiter logs it
/// (events 2105/2106).</description></item>
/// <item><description>500 when the adapter throws, 503 with <c>Retry-After: 5</c> when the database is unavailable,
/// 503 with <c>Retry-After: 1</c> when more than <see cref="PipelineOptions.AcceptQueueLimit"/> calls already wait to
/// be stored (backpressure); platforms retry all three, and nothing was stored, so nothing is lost or doubled.</description></item>
/// </list>
/// Requests refused before any message is known (unknown channel, too large, rejected by the adapter, adapter error) are
/// counted once each in <c>clawscale.inbound.refused</c>; the messages of the others are counted by the acceptor. The
/// request's server span (ASP.NET Core, continuing the platform's <c>traceparent</c> when it sends one) is the parent of ACCEPT.
/// </summary>
internal static partial class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapClawScaleWebhooks(this IEndpointRouteBuilder endpoints)
    {
        // GET reaches the adapter too (WebhookRequest.Method): Meta's webhook verification (hub.mode=subscribe) and the
        // WeCom / WeChat Official Account URL verification (signature in the query, echostr answered) are GETs; adapters
        // of other platforms refuse it as a malformed call.
        endpoints.MapMethods("/webhooks/{channelId}", [HttpMethods.Get, HttpMethods.Post], HandleAsync);
        return endpoints;
    }

    private static async Task HandleAsync(
        string channelId,
        HttpContext http,
        IChannelRegistry channels,
        IInboundAcceptor acceptor,
        SenderRateLimiter senders,
        IPluginInvoker invoker,
        IOptions<PipelineOptions> options,
        KernelMetrics metrics,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("ClawScale.Kernel.Channels.Webhooks");
        var ct = http.RequestAborted;
        var limit = options.Value.MaxWebhookBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            metrics.InboundRefused(KernelMetrics.UnknownKind, null, KernelMetrics.RefusedTooLarge);
            await RespondAsync(http, StatusCodes.Status413PayloadTooLarge, $"Webhook bodies are limited to {limit} bytes.");
            return;
        }

        var lookup = await channels.GetAsync(channelId, ct);
        if (lookup.Handle is not { } channel)
        {
            LogUnknownChannel(logger, channelId, lookup.Problem ?? "unknown");
            metrics.InboundRefused(KernelMetrics.UnknownKind, null, KernelMetrics.RefusedUnknownChannel);
            await RespondAsync(http, StatusCodes.Status404NotFound, $"No active channel '{channelId}': {lookup.Problem}. Check the webhook URL configured on the platform.");
            return;
        }

        var body = await ReadBodyAsync(http, limit, ct);
        if (body is null)
        {
            metrics.InboundRefused(channel.Kind, channel.TenantId, KernelMetrics.RefusedTooLarge);
            await RespondAsync(http, StatusCodes.Status413PayloadTooLarge, $"Webhook bodies are limited to {limit} bytes.");
            return;
        }

        var request = new WebhookRequest
        {
            Method = http.Request.Method,
            Headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            QueryString = http.Request.QueryString.Value ?? string.Empty,
            Body = body,
            ReceivedAt = time.GetUtcNow(),
        };

        WebhookResult result;
        try
        {
            result = await invoker.InvokeAsync(channel.Source, "HandleWebhook", c => channel.Adapter.HandleWebhookAsync(request, c), null, ct);
        }
        catch (PluginCallException ex)
        {
            LogAdapterFailed(logger, channelId, channel.Kind, ex);
            metrics.InboundRefused(channel.Kind, channel.TenantId, KernelMetrics.RefusedAdapterError);
            await RespondAsync(http, StatusCodes.Status500InternalServerError, "The channel adapter failed to process this webhook; the platform should retry.");
            return;
        }

        if (result.IsRejected)
        {
            LogRejected(logger, channelId, channel.Kind, result.StatusCode, result.Reason ?? string.Empty);
            metrics.InboundRefused(channel.Kind, channel.TenantId, KernelMetrics.RefusedRejected);
        }
        else if (result.Messages.Count > 0)
        {
            AcceptResult accepted;
            try
            {
                accepted = await acceptor.AcceptAsync(channel, result.Messages, ct);
            }
            catch (PipelineOverloadedException ex)
            {
                LogOverloaded(logger, channelId, ex.Message);
                http.Response.Headers.RetryAfter = "1";
                await RespondAsync(http, StatusCodes.Status503ServiceUnavailable, "The gateway is at capacity; nothing was stored. Retry after the Retry-After delay.");
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogAcceptFailed(logger, channelId, ex);
                http.Response.Headers.RetryAfter = "5";
                await RespondAsync(http, StatusCodes.Status503ServiceUnavailable, "The gateway could not store this message right now; retry later.");
                return;
            }

            if (accepted.SenderLimited > 0)
            {
                if (result.RefuseWhenSenderLimited)
                {
                    var seconds = (int)senders.RetryAfter.TotalSeconds;
                    LogSenderLimited(logger, channelId, channel.Kind, accepted.SenderLimited, StatusCodes.Status429TooManyRequests);
                    http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                    await RespondAsync(http, StatusCodes.Status429TooManyRequests,
                        $"Too many messages from this sender: the limit is {senders.PerMinute} per minute. The message was not stored; send it again after {seconds} s.");
                    return;
                }

                LogSenderLimited(logger, channelId, channel.Kind, accepted.SenderLimited, result.StatusCode);
            }
        }

        http.Response.StatusCode = result.StatusCode;
        if (!result.ResponseBody.IsEmpty)
        {
            http.Response.ContentType = result.ContentType ?? "application/octet-stream";
            await http.Response.Body.WriteAsync(result.ResponseBody, ct);
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext http, int limit, CancellationToken ct)
    {
        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = limit + 1L;
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(8192);
                var read = await http.Request.Body.ReadAsync(memory, ct);
                if (read == 0) break;
                buffer.Advance(read);
                if (buffer.WrittenCount > limit) return null;
            }
        }
        catch (BadHttpRequestException)
        {
            return null;
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static Task RespondAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(message, http.RequestAborted);
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Webhook for channel {ChannelId} refused: {Problem}")]
    private static partial void LogUnknownChannel(ILogger logger, SafeLogString channelId, SafeLogString problem);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Webhook for {Kind} channel {ChannelId} rejected with {Status}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string channelId, string kind, int status, SafeLogString reason);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Error, Message = "The {Kind} adapter of channel {ChannelId} failed on a webhook")]
    private static partial void LogAdapterFailed(ILogger logger, string channelId, string kind, Exception exception);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Debug, Message = "Webhook for channel {ChannelId} refused with 503: {Problem}")]
    private static partial void LogOverloaded(ILogger logger, string channelId, string problem);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Error, Message = "Accepting webhook messages of channel {ChannelId} failed; answered 503")]
    private static partial void LogAcceptFailed(ILogger logger, string channelId, Exception exception);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Debug, Message = "Webhook for {Kind} channel {ChannelId}: {Count} messages over the per-sender limit not stored; answered {Status}")]
    private static partial void LogSenderLimited(ILogger logger, string channelId, string kind, int count, int status);
}
