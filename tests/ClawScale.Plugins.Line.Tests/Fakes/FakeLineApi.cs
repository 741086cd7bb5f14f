using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Line.Tests.Fakes;

/// <summary>
/// A fake LINE Messaging API: real Kestrel on 127.0.0.1 with a free port, answering as the reference documents
/// (https://developers.line.biz/en/reference/messaging-api/): <c>POST /v2/bot/message/reply</c> (each registered reply
/// token usable once, otherwise 400 <c>{"message":"Invalid reply token"}</c>), <c>POST /v2/bot/message/push</c> (a
/// repeated <c>X-Line-Retry-Key</c> of an accepted request gets 409 with <c>x-line-accepted-request-id</c>),
/// <c>GET /v2/bot/info</c>; a wrong Bearer token gets 401 with the documented error body. Push failures can be scripted.
/// </summary>
public sealed class FakeLineApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<FakeLineCall> _calls = [];
    private readonly HashSet<string> _replyTokens = [];
    private readonly Dictionary<string, string> _acceptedRetryKeys = [];
    private readonly Queue<(int Status, string Body, int? RetryAfter)> _pushFailures = new();
    private long _nextId = 461230966842064897;

    private FakeLineApi(WebApplication app, string accessToken)
    {
        _app = app;
        AccessToken = accessToken;
    }

    public string AccessToken { get; }

    public string BotUserId => "U0123456789abcdef0123456789abcdef";

    /// <summary>The base URL to give the channel as <c>api_base_url</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<FakeLineCall> Calls
    {
        get
        {
            lock (_gate)
                return _calls.ToArray();
        }
    }

    public IReadOnlyList<FakeLineCall> CallsTo(string api) => Calls.Where(c => c.Api == api).ToArray();

    public static async Task<FakeLineApi> StartAsync(string accessToken = "line-test-channel-access-token")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeLineApi(app, accessToken);
        app.MapPost("/v2/bot/message/reply", fake.HandleReplyAsync);
        app.MapPost("/v2/bot/message/push", fake.HandlePushAsync);
        app.MapGet("/v2/bot/info", fake.HandleInfoAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/'));
        return fake;
    }

    /// <summary>Makes <paramref name="replyToken"/> usable (once), as LINE does for the token of a fresh event.</summary>
    public void IssueReplyToken(string replyToken)
    {
        lock (_gate)
            _replyTokens.Add(replyToken);
    }

    /// <summary>The next push answers HTTP <paramref name="status"/> with <paramref name="body"/>.</summary>
    public void FailNextPush(int status, string body, int? retryAfterSeconds = null)
    {
        lock (_gate)
            _pushFailures.Enqueue((status, body, retryAfterSeconds));
    }

    /// <summary>An error body in the documented shape (reference "Error responses").</summary>
    public static string Error(string message, params (string Message, string Property)[] details) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["message"] = message,
            ["details"] = details.Select(d => new Dictionary<string, string> { ["message"] = d.Message, ["property"] = d.Property }).ToArray(),
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleReplyAsync(HttpContext context)
    {
        var call = await RecordAsync(context, "reply");
        if (!Authorized(context))
        {
            await WriteAsync(context, 401, Error("Authentication failed. Confirm that the access token in the authorization header is valid."));
            return;
        }

        bool valid;
        lock (_gate)
            valid = _replyTokens.Remove(call.Field("replyToken") ?? string.Empty);
        if (!valid)
        {
            await WriteAsync(context, 400, Error("Invalid reply token"));
            return;
        }

        await WriteSentAsync(context, call);
    }

    private async Task HandlePushAsync(HttpContext context)
    {
        var call = await RecordAsync(context, "push");
        if (!Authorized(context))
        {
            await WriteAsync(context, 401, Error("Authentication failed. Confirm that the access token in the authorization header is valid."));
            return;
        }

        (int Status, string Body, int? RetryAfter)? failure = null;
        string? accepted = null;
        lock (_gate)
        {
            if (call.RetryKey is { } key && _acceptedRetryKeys.TryGetValue(key, out var requestId))
                accepted = requestId;
            else if (_pushFailures.Count > 0)
                failure = _pushFailures.Dequeue();
        }

        if (accepted is not null)
        {
            context.Response.Headers["x-line-accepted-request-id"] = accepted;
            await WriteAsync(context, 409, Error("The retry key is already accepted"));
            return;
        }

        if (failure is { } f)
        {
            if (f.RetryAfter is { } seconds)
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await WriteAsync(context, f.Status, f.Body);
            return;
        }

        if (call.RetryKey is { } retryKey)
        {
            lock (_gate)
                _acceptedRetryKeys[retryKey] = Guid.NewGuid().ToString("D");
        }

        await WriteSentAsync(context, call);
    }

    private async Task HandleInfoAsync(HttpContext context)
    {
        await RecordAsync(context, "info");
        if (!Authorized(context))
        {
            await WriteAsync(context, 401, Error("Authentication failed. Confirm that the access token in the authorization header is valid."));
            return;
        }

        await WriteAsync(context, 200, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["userId"] = BotUserId,
            ["basicId"] = "@216ru...",
            ["displayName"] = "Example name",
            ["chatMode"] = "bot",
            ["markAsReadMode"] = "manual",
        }));
    }

    private async Task<FakeLineCall> RecordAsync(HttpContext context, string api)
    {
        JsonElement? json = null;
        if (context.Request.HasJsonContentType())
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body);
            json = document.RootElement.Clone();
        }

        var retryKey = context.Request.Headers.TryGetValue("X-Line-Retry-Key", out var values) ? values.ToString() : null;
        var call = new FakeLineCall(api, context.Request.Headers.Authorization.ToString(), retryKey, json);
        lock (_gate)
            _calls.Add(call);
        return call;
    }

    private async Task WriteSentAsync(HttpContext context, FakeLineCall call)
    {
        var count = call.Json?.GetProperty("messages").GetArrayLength() ?? 0;
        var sent = new List<Dictionary<string, string>>();
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
                sent.Add(new Dictionary<string, string> { ["id"] = (++_nextId).ToString(CultureInfo.InvariantCulture), ["quoteToken"] = "IStG5h1Tz7b..." });
        }

        await WriteAsync(context, 200, JsonSerializer.Serialize(new Dictionary<string, object> { ["sentMessages"] = sent }));
    }

    private bool Authorized(HttpContext context) => context.Request.Headers.Authorization.ToString() == "Bearer " + AccessToken;

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, Encoding.UTF8);
    }
}
