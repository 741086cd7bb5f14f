using ClawScale.Kernel.Pipeline.Accept;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Security;
using ClawScale.Plugins.Messages;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Channels.WebChat;

/// <summary>
/// The web chat routes on the kernel's HTTP port: the page, message posting, the reply event stream and history.
/// Every route answers 404 for an unknown, archived or non-<c>webchat</c> channel. Browser calls from other origins
/// are allowed (CORS) only for the channel's <c>allowed_origins</c>.
/// </summary>
internal static partial class WebChatEndpoints
{
    /// <summary>The largest accepted <c>POST …/messages</c> body, in bytes (16 KiB); larger bodies get 413.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>The longest accepted message text, in UTF-16 code units.</summary>
    public const int MaxTextLength = 4000;

    /// <summary>The longest accepted client message id, in characters.</summary>
    public const int MaxClientMessageIdLength = 64;

    /// <summary>The most messages <c>GET …/history</c> returns (the newest ones, oldest first).</summary>
    public const int HistoryLimit = 100;

    /// <summary>How often an idle event stream gets a comment line, so proxies and browsers keep it open.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The provider of web chat external identities.</summary>
    public const string Provider = "webchat";

    /// <summary>The identity type of web chat visitors.</summary>
    public const string IdentityType = "visitor_id";

    [GeneratedRegex("^[A-Za-z0-9_-]{16,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex VisitorIdPattern();

    /// <summary>Maps the routes under <c>/chat/{channelId}</c>.</summary>
    /// <param name="endpoints">The route builder.</param>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var chat = endpoints.MapGroup("/chat/{channelId}").WithTags("webchat");
        chat.MapGet("", GetPageAsync);
        chat.MapPost("/messages", PostMessageAsync);
        chat.MapGet("/events", GetEventsAsync);
        chat.MapGet("/history", GetHistoryAsync);
        chat.MapMethods("/{route}", [HttpMethods.Options], PreflightAsync);
    }

    /// <summary><c>GET /chat/{channelId}</c>: the chat page (HTML, inline CSS and JS), or a 404 page.</summary>
    private static async Task<IResult> GetPageAsync(
        string channelId, HttpContext http, [FromServices] IChannelRegistry registry, [FromServices] ISecretGenerator random,
        [FromServices] ILogger<WebChatChannelFactory> logger, CancellationToken cancellationToken)
    {
        var (channel, problem) = await FindAsync(registry, channelId, cancellationToken);
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (channel is null)
        {
            WebChatLog.Refused(logger, channelId, StatusCodes.Status404NotFound, problem!);
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
            return Results.Content(WebChatPage.RenderNotFound(), "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound);
        }

        var nonce = random.NewToken(16);
        var settings = channel.Value.Settings;
        var frameAncestors = settings.AllowedOrigins.Contains("*") ? "*" : string.Join(' ', ["'self'", .. settings.AllowedOrigins]);
        headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; " +
            $"base-uri 'none'; form-action 'none'; frame-ancestors {frameAncestors}";
        return Results.Content(WebChatPage.Render(channelId, settings, nonce), "text/html; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>
    /// <c>POST /chat/{channelId}/messages</c> with <c>{"visitorId", "text", "clientMessageId"}</c>: accepts the message
    /// durably and answers 202 <c>{"accepted": true, "duplicate": bool}</c>. 400 for a malformed body (every problem
    /// listed), 404 for an unknown channel, 413 above <see cref="MaxBodyBytes"/>.
    /// </summary>
    private static async Task<IResult> PostMessageAsync(
        string channelId, HttpContext http, [FromServices] IChannelRegistry registry, [FromServices] IInboundAcceptor acceptor,
        [FromServices] TimeProvider time, [FromServices] ILogger<WebChatChannelFactory> logger, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
            return Refuse(logger, channelId, StatusCodes.Status413PayloadTooLarge, $"the body must be at most {MaxBodyBytes} bytes");

        var (channel, problem) = await FindAsync(registry, channelId, cancellationToken);
        if (channel is null) return Refuse(logger, channelId, StatusCodes.Status404NotFound, problem!);
        ApplyCors(http, channel.Value.Settings);

        var body = await ReadBodyAsync(http.Request.Body, cancellationToken);
        if (body is null) return Refuse(logger, channelId, StatusCodes.Status413PayloadTooLarge, $"the body must be at most {MaxBodyBytes} bytes");

        var (request, errors) = ParseMessage(body);
        if (request is null) return Refuse(logger, channelId, StatusCodes.Status400BadRequest, string.Join("; ", errors));

        var message = new InboundMessage
        {
            ProviderMessageId = request.VisitorId + ":" + request.ClientMessageId,
            ExternalChatId = request.VisitorId,
            Sender = new ExternalUser { Provider = Provider, IdentityType = IdentityType, Value = request.VisitorId },
            ChatKind = ChatKind.Direct,
            AddressedToBot = true,
            Text = request.Text,
            SentAt = time.GetUtcNow(),
        };
        AcceptResult result;
        try
        {
            result = await acceptor.AcceptAsync(channel.Value.Handle, [message], cancellationToken);
        }
        catch (PipelineOverloadedException ex)
        {
            http.Response.Headers.RetryAfter = "1";
            return Refuse(logger, channelId, StatusCodes.Status503ServiceUnavailable, ex.Message);
        }

        var duplicate = result.Duplicates > 0;
        WebChatLog.Accepted(logger, channelId, message.ProviderMessageId, duplicate);
        return Results.Json(new { accepted = result.Ignored == 0, duplicate }, Json, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// <c>GET /chat/{channelId}/events?visitorId=…</c>: a Server-Sent Events stream (<c>text/event-stream</c>) of the
    /// agent's replies to the visitor, one <c>event: message</c> per reply with a <see cref="WebChatMessage"/> as data,
    /// and a comment line every <see cref="HeartbeatInterval"/>. 429 when the visitor already has
    /// <see cref="WebChatHub.MaxConnectionsPerVisitor"/> streams open. Follows the WHATWG HTML "Server-sent events" format.
    /// </summary>
    private static async Task<IResult> GetEventsAsync(
        string channelId, string? visitorId, HttpContext http, [FromServices] IChannelRegistry registry, [FromServices] WebChatHub hub,
        [FromServices] TimeProvider time, [FromServices] IHostApplicationLifetime lifetime, [FromServices] ILogger<WebChatChannelFactory> logger,
        CancellationToken cancellationToken)
    {
        if (!IsVisitorId(visitorId)) return Refuse(logger, channelId, StatusCodes.Status400BadRequest, VisitorIdRule);
        var (channel, problem) = await FindAsync(registry, channelId, cancellationToken);
        if (channel is null) return Refuse(logger, channelId, StatusCodes.Status404NotFound, problem!);
        ApplyCors(http, channel.Value.Settings);

        using var connection = hub.TryConnect(channelId, visitorId!);
        if (connection is null)
        {
            return Refuse(logger, channelId, StatusCodes.Status429TooManyRequests,
                $"at most {WebChatHub.MaxConnectionsPerVisitor} chat pages may be open per visitor; close one and reload");
        }

        var open = hub.ConnectionCount(channelId, visitorId!);
        WebChatLog.StreamOpened(logger, channelId, open);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        var response = http.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            // The first comment tells the client the stream is registered: pushes from now on reach it.
            await WriteAsync(response, "retry: 3000\n: connected\n\n", stop.Token);
            using var heartbeat = new PeriodicTimer(HeartbeatInterval, time);
            var tick = heartbeat.WaitForNextTickAsync(stop.Token).AsTask();
            var ready = connection.Messages.WaitToReadAsync(stop.Token).AsTask();
            while (true)
            {
                if (await Task.WhenAny(tick, ready) == ready)
                {
                    if (!await ready) break;
                    var text = new StringBuilder();
                    while (connection.Messages.TryRead(out var message)) AppendEvent(text, message);
                    await WriteAsync(response, text.ToString(), stop.Token);
                    ready = connection.Messages.WaitToReadAsync(stop.Token).AsTask();
                }
                else
                {
                    if (!await tick) break;
                    await WriteAsync(response, ": heartbeat\n\n", stop.Token);
                    tick = heartbeat.WaitForNextTickAsync(stop.Token).AsTask();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away or the kernel is stopping.
        }
        catch (IOException)
        {
            // The connection broke while writing.
        }

        WebChatLog.StreamClosed(logger, channelId);
        return Results.Empty;
    }

    /// <summary>
    /// <c>GET /chat/{channelId}/history?visitorId=…</c>: the visitor's conversation on this channel as a JSON array of
    /// <see cref="WebChatMessage"/>, the newest <see cref="HistoryLimit"/> messages, oldest first.
    /// </summary>
    private static async Task<IResult> GetHistoryAsync(
        string channelId, string? visitorId, HttpContext http, [FromServices] IChannelRegistry registry, [FromServices] ClawScaleDbContext db,
        [FromServices] ILogger<WebChatChannelFactory> logger, CancellationToken cancellationToken)
    {
        if (!IsVisitorId(visitorId)) return Refuse(logger, channelId, StatusCodes.Status400BadRequest, VisitorIdRule);
        var (channel, problem) = await FindAsync(registry, channelId, cancellationToken);
        if (channel is null) return Refuse(logger, channelId, StatusCodes.Status404NotFound, problem!);
        ApplyCors(http, channel.Value.Settings);
        http.Response.Headers.CacheControl = "no-store";

        var handle = channel.Value.Handle;
        var conversations = db.Conversations
            .Where(c => c.TenantId == handle.TenantId && c.ChannelId == handle.ChannelId && c.ExternalChatId == visitorId)
            .Select(c => c.Id);
        var rows = await db.Messages
            .Where(m => m.TenantId == handle.TenantId && conversations.Contains(m.ConversationId))
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(HistoryLimit)
            .Select(m => new { m.Id, m.Role, m.Text, m.ProviderMessageId, m.CreatedAt })
            .ToListAsync(cancellationToken);
        rows.Reverse();
        var messages = rows.Select(m => new WebChatMessage(
            string.IsNullOrEmpty(m.ProviderMessageId) ? m.Id : m.ProviderMessageId,
            m.Role switch
            {
                MessageRoleValue.User => WebChatMessage.UserRole,
                MessageRoleValue.Agent => WebChatMessage.AgentRole,
                _ => WebChatMessage.SystemRole,
            },
            m.Text,
            new DateTimeOffset(DateTime.SpecifyKind(m.CreatedAt, DateTimeKind.Utc))));
        return Results.Json(messages, Json);
    }

    /// <summary>CORS preflight for the channel's routes: allowed only for the channel's <c>allowed_origins</c>.</summary>
    private static async Task<IResult> PreflightAsync(string channelId, HttpContext http, [FromServices] IChannelRegistry registry, CancellationToken cancellationToken)
    {
        var (channel, _) = await FindAsync(registry, channelId, cancellationToken);
        if (channel is null) return Results.NotFound();
        if (ApplyCors(http, channel.Value.Settings))
        {
            http.Response.Headers.AccessControlAllowMethods = "GET, POST";
            http.Response.Headers.AccessControlAllowHeaders = "Content-Type";
            http.Response.Headers.AccessControlMaxAge = "600";
        }

        return Results.NoContent();
    }

    private const string VisitorIdRule = "visitorId must be 16 to 64 characters of A-Z, a-z, 0-9, '_' and '-' (the page makes one and keeps it in localStorage)";

    private static bool IsVisitorId(string? value) => value is not null && VisitorIdPattern().IsMatch(value);

    private static async Task<((ChannelHandle Handle, WebChatSettings Settings)? Channel, string? Problem)> FindAsync(
        IChannelRegistry registry, string channelId, CancellationToken cancellationToken)
    {
        var lookup = await registry.GetAsync(channelId, cancellationToken);
        if (lookup.Handle is not { } handle)
            return (null, $"channel '{channelId}' is not available: {lookup.Problem ?? "not found"}");
        if (!string.Equals(handle.Kind, WebChatChannelFactory.ChannelKind, StringComparison.Ordinal))
            return (null, $"channel '{channelId}' is not a web chat channel (its kind is '{handle.Kind}')");
        var settings = handle.Adapter is WebChatAdapter adapter ? adapter.Settings : WebChatSettings.Parse(new Dictionary<string, string>(), out _);
        return ((handle, settings), null);
    }

    /// <summary>Adds CORS headers when the request's origin is one of the channel's allowed origins.</summary>
    private static bool ApplyCors(HttpContext http, WebChatSettings settings)
    {
        var origin = http.Request.Headers.Origin.ToString();
        http.Response.Headers.Vary = "Origin";
        if (string.IsNullOrEmpty(origin) || !settings.AllowsOrigin(origin)) return false;
        http.Response.Headers.AccessControlAllowOrigin = origin;
        return true;
    }

    private static IResult Refuse(ILogger logger, string channelId, int statusCode, string reason)
    {
        WebChatLog.Refused(logger, channelId, statusCode, reason);
        return Results.Json(new { error = reason }, Json, statusCode: statusCode);
    }

    /// <summary>Reads at most <see cref="MaxBodyBytes"/>; null when the body is larger.</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBodyBytes + 1];
        var total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
            if (total > MaxBodyBytes) return null;
        }

        return buffer[..total];
    }

    /// <summary>Parses and validates a posted message, listing every problem.</summary>
    internal static (WebChatPostedMessage? Message, IReadOnlyList<string> Errors) ParseMessage(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 8 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            return (null, [$"the body is not valid JSON ({e.Message}); send {{\"visitorId\": \"…\", \"text\": \"…\", \"clientMessageId\": \"…\"}}"]);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (null, ["the body must be a JSON object {\"visitorId\": \"…\", \"text\": \"…\", \"clientMessageId\": \"…\"}"]);

            var errors = new List<string>();
            var visitorId = ReadString(document.RootElement, "visitorId", errors);
            var text = ReadString(document.RootElement, "text", errors);
            var clientMessageId = ReadString(document.RootElement, "clientMessageId", errors);
            if (visitorId is not null && !IsVisitorId(visitorId)) errors.Add(VisitorIdRule);
            if (text is not null && (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength))
                errors.Add($"text must be 1 to {MaxTextLength} characters and not blank");
            if (clientMessageId is not null && (clientMessageId.Length is 0 or > MaxClientMessageIdLength || clientMessageId.Any(char.IsControl)))
                errors.Add($"clientMessageId must be 1 to {MaxClientMessageIdLength} characters without control characters (a new random id per message; reuse it only to retry that message)");
            return errors.Count > 0 ? (null, errors) : (new WebChatPostedMessage(visitorId!, text!, clientMessageId!), errors);
        }
    }

    private static string? ReadString(JsonElement root, string name, List<string> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"{name} is required");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{name} must be a string");
            return null;
        }

        return value.GetString();
    }

    private static void AppendEvent(StringBuilder text, WebChatMessage message)
    {
        if (message.Id.AsSpan().IndexOfAny('\r', '\n') < 0) text.Append("id: ").Append(message.Id).Append('\n');
        text.Append("event: message\ndata: ").Append(JsonSerializer.Serialize(message, Json)).Append("\n\n");
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
