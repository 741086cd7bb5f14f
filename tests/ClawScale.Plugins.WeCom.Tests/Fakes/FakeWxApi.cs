using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.WeCom.Tests.Fakes;

/// <summary>
/// A fake of the WeCom and WeChat Official Account server APIs: real Kestrel on 127.0.0.1, base URL <c>/cgi-bin/</c>.
/// Answers in the documented shapes:
/// WeCom "获取access_token" <c>GET gettoken?corpid=&amp;corpsecret=</c> → <c>{"errcode":0,"errmsg":"ok","access_token","expires_in":7200}</c>
/// (wrong secret: <c>{"errcode":40001,"errmsg":"invalid credential"}</c>); WeCom "发送应用消息" <c>POST message/send?access_token=</c> →
/// <c>{"errcode":0,"errmsg":"ok","invaliduser":"","invalidparty":"","invalidtag":"","unlicenseduser":"","msgid":"…","response_code":"…"}</c>;
/// WeChat "获取Access token" <c>GET token?grant_type=client_credential&amp;appid=&amp;secret=</c> → <c>{"access_token","expires_in":7200}</c>
/// (wrong secret: <c>{"errcode":40125,"errmsg":"invalid appsecret"}</c>); WeChat "客服消息" <c>POST message/custom/send?access_token=</c> →
/// <c>{"errcode":0,"errmsg":"ok"}</c>. A token no longer issued answers <c>{"errcode":42001,"errmsg":"access_token expired"}</c>.
/// Records every call; scripted failures answer in the same envelope.
/// </summary>
public sealed class FakeWxApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<FakeWxCall> _calls = [];
    private readonly Queue<(int Status, string Json, int? RetryAfter)> _sendFailures = new();
    private readonly HashSet<string> _validTokens = [];
    private int _nextToken;
    private int _nextMsgId;

    private FakeWxApi(WebApplication app, string appId, string secret)
    {
        _app = app;
        AppId = appId;
        Secret = secret;
    }

    /// <summary>The base URL to give the adapter as <c>api_base_url</c>, for example http://127.0.0.1:41234/cgi-bin/.</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>The corp id (WeCom) or AppID (WeChat) the token call must name.</summary>
    public string AppId { get; }

    /// <summary>The corpsecret / AppSecret the token call must present.</summary>
    public string Secret { get; }

    public IReadOnlyList<FakeWxCall> Calls
    {
        get
        {
            lock (_gate)
                return _calls.ToArray();
        }
    }

    public static async Task<FakeWxApi> StartAsync(string appId, string secret)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeWxApi(app, appId, secret);
        app.MapGet("/cgi-bin/gettoken", fake.WeComTokenAsync);
        app.MapGet("/cgi-bin/token", fake.WeChatTokenAsync);
        app.MapPost("/cgi-bin/message/send", ctx => fake.SendAsync(ctx, "message/send"));
        app.MapPost("/cgi-bin/message/custom/send", ctx => fake.SendAsync(ctx, "message/custom/send"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.ApiBaseUrl = new Uri(address.TrimEnd('/') + "/cgi-bin/");
        return fake;
    }

    public IReadOnlyList<FakeWxCall> CallsTo(string api) => Calls.Where(c => c.Api == api).ToArray();

    /// <summary>Makes every issued token invalid (as when it expired or was replaced elsewhere).</summary>
    public void ExpireTokens()
    {
        lock (_gate)
            _validTokens.Clear();
    }

    /// <summary>The next <paramref name="count"/> sends answer <paramref name="json"/> with HTTP <paramref name="status"/>.</summary>
    public void FailNextSends(int count, string json, int status = 200, int? retryAfterSeconds = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
                _sendFailures.Enqueue((status, json, retryAfterSeconds));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task WeComTokenAsync(HttpContext context)
    {
        Record(context, "gettoken", null);
        if (context.Request.Query["corpid"] != AppId || context.Request.Query["corpsecret"] != Secret)
            return WriteAsync(context, 200, "{\"errcode\":40001,\"errmsg\":\"invalid credential\"}");
        return WriteAsync(context, 200, new JsonObject { ["errcode"] = 0, ["errmsg"] = "ok", ["access_token"] = Issue(), ["expires_in"] = 7200 }.ToJsonString());
    }

    private Task WeChatTokenAsync(HttpContext context)
    {
        Record(context, "token", null);
        if (context.Request.Query["grant_type"] != "client_credential" || context.Request.Query["appid"] != AppId || context.Request.Query["secret"] != Secret)
            return WriteAsync(context, 200, "{\"errcode\":40125,\"errmsg\":\"invalid appsecret\"}");
        return WriteAsync(context, 200, new JsonObject { ["access_token"] = Issue(), ["expires_in"] = 7200 }.ToJsonString());
    }

    private async Task SendAsync(HttpContext context, string api)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        Record(context, api, document.RootElement.Clone());
        bool valid;
        (int Status, string Json, int? RetryAfter)? failure = null;
        lock (_gate)
        {
            valid = _validTokens.Contains(context.Request.Query["access_token"].ToString());
            if (valid && _sendFailures.Count > 0)
                failure = _sendFailures.Dequeue();
        }

        if (!valid)
        {
            await WriteAsync(context, 200, "{\"errcode\":42001,\"errmsg\":\"access_token expired\"}");
            return;
        }

        if (failure is { } f)
        {
            if (f.RetryAfter is { } seconds)
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteAsync(context, f.Status, f.Json);
            return;
        }

        if (api == "message/send")
        {
            var msgId = "msgid-" + Interlocked.Increment(ref _nextMsgId);
            await WriteAsync(context, 200, new JsonObject
            {
                ["errcode"] = 0, ["errmsg"] = "ok", ["invaliduser"] = "", ["invalidparty"] = "", ["invalidtag"] = "",
                ["unlicenseduser"] = "", ["msgid"] = msgId, ["response_code"] = "xyzxyz",
            }.ToJsonString());
        }
        else
        {
            await WriteAsync(context, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
        }
    }

    private string Issue()
    {
        var token = "ACCESS_TOKEN_" + Interlocked.Increment(ref _nextToken);
        lock (_gate)
            _validTokens.Add(token);
        return token;
    }

    private void Record(HttpContext context, string api, JsonElement? json)
    {
        lock (_gate)
            _calls.Add(new FakeWxCall { Api = api, Query = context.Request.QueryString.Value ?? string.Empty, AccessToken = context.Request.Query["access_token"].ToString(), Json = json });
    }

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json, Encoding.UTF8);
    }
}
