using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Discord.Tests.Fakes;

/// <summary>
/// A fake Discord REST API v10 on 127.0.0.1 (real Kestrel): GET /users/@me, GET /gateway/bot,
/// POST /channels/{id}/messages, PATCH /webhooks/{app}/{token}/messages/@original, POST /webhooks/{app}/{token}.
/// Bot-authorized routes answer 401 for a wrong token. Records every call; sends can be scripted to answer 429, 403,
/// 404, 5xx, or with rate-limit headers.
/// </summary>
public sealed class FakeDiscordRest : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<FakeRestCall> _calls = [];
    private readonly Queue<FakeRestResponse> _scripted = new();
    private long _nextId = 1400000000000000000;

    private FakeDiscordRest(WebApplication app, string token)
    {
        _app = app;
        Token = token;
    }

    /// <summary>The api_base_url to configure, for example http://127.0.0.1:41234/api/v10.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public string Token { get; }

    /// <summary>What GET /gateway/bot answers.</summary>
    public string? GatewayUrl { get; set; }

    public IReadOnlyList<FakeRestCall> Calls
    {
        get
        {
            lock (_gate)
                return _calls.ToArray();
        }
    }

    public static async Task<FakeDiscordRest> StartAsync(string token)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeDiscordRest(app, token);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/') + "/api/v10");
        return fake;
    }

    /// <summary>The next message-creating calls (channel messages, webhook edits and follow-ups) answer these, in order.</summary>
    public void Script(params FakeRestResponse[] responses)
    {
        lock (_gate)
        {
            foreach (var response in responses)
                _scripted.Enqueue(response);
        }
    }

    public static FakeRestResponse TooManyRequests(double retryAfter, bool global) =>
        new(429, $$"""{"message":"You are being rate limited.","retry_after":{{retryAfter.ToString(CultureInfo.InvariantCulture)}},"global":{{(global ? "true" : "false")}}}""",
            new Dictionary<string, string> { ["Retry-After"] = Math.Ceiling(retryAfter).ToString(CultureInfo.InvariantCulture), ["X-RateLimit-Scope"] = global ? "global" : "user" });

    public static FakeRestResponse Error(int status, int code, string message) => new(status, $$"""{"message":"{{message}}","code":{{code}}}""");

    /// <summary>A success whose headers say the bucket is now empty for <paramref name="resetAfter"/> seconds.</summary>
    public static FakeRestResponse SuccessExhaustingBucket(double resetAfter) => new(200, null, new Dictionary<string, string>
    {
        ["X-RateLimit-Limit"] = "5",
        ["X-RateLimit-Remaining"] = "0",
        ["X-RateLimit-Reset-After"] = resetAfter.ToString(CultureInfo.InvariantCulture),
        ["X-RateLimit-Bucket"] = "abcd1234",
    });

    public IReadOnlyList<FakeRestCall> CallsTo(string method, string pathPrefix) =>
        Calls.Where(c => c.Method == method && c.Path.StartsWith(pathPrefix, StringComparison.Ordinal)).ToArray();

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (!path.StartsWith("/api/v10/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }

        path = path["/api/v10".Length..];
        JsonElement? json = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.ContentType.Count > 0)
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body);
            json = doc.RootElement.Clone();
        }

        var auth = context.Request.Headers.Authorization.ToString();
        var method = context.Request.Method;
        lock (_gate)
            _calls.Add(new FakeRestCall(method, path, auth.Length == 0 ? null : auth, json));

        var isWebhook = path.StartsWith("/webhooks/", StringComparison.Ordinal);
        if (!isWebhook && auth != "Bot " + Token)
        {
            await WriteAsync(context, new FakeRestResponse(401, """{"message":"401: Unauthorized","code":0}"""));
            return;
        }

        if (method == "GET" && path == "/users/@me")
        {
            await WriteAsync(context, new FakeRestResponse(200, """{"id":"1100000000000000001","username":"clawbot","bot":true,"discriminator":"0"}"""));
            return;
        }

        if (method == "GET" && path == "/gateway/bot")
        {
            await WriteAsync(context, new FakeRestResponse(200, $$$"""{"url":"{{{GatewayUrl}}}","shards":1,"session_start_limit":{"total":1000,"remaining":999,"reset_after":14400000,"max_concurrency":1}}"""));
            return;
        }

        var creates = (method == "POST" && path.StartsWith("/channels/", StringComparison.Ordinal) && path.EndsWith("/messages", StringComparison.Ordinal))
            || (isWebhook && (method == "POST" || method == "PATCH"));
        if (!creates)
        {
            context.Response.StatusCode = 404;
            return;
        }

        FakeRestResponse? scripted = null;
        lock (_gate)
        {
            if (_scripted.Count > 0)
                scripted = _scripted.Dequeue();
        }

        if (scripted is not null && scripted.Status != 200)
        {
            await WriteAsync(context, scripted);
            return;
        }

        var channelId = isWebhook ? "1323456789012340002" : path.Split('/')[2];
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var content = json is { } j && j.TryGetProperty("content", out var c) ? c.GetString() : null;
        var body = JsonSerializer.Serialize(new Dictionary<string, object?> { ["id"] = id, ["channel_id"] = channelId, ["content"] = content, ["type"] = 0 });
        await WriteAsync(context, new FakeRestResponse(200, body, scripted?.Headers));
    }

    private static async Task WriteAsync(HttpContext context, FakeRestResponse response)
    {
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            context.Response.Headers[name] = value;
        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
