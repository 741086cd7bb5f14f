using System.Globalization;
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

namespace ClawScale.Plugins.Mattermost.Tests.Fakes;

/// <summary>
/// A fake Mattermost server (REST API v4, api.mattermost.com): real Kestrel on 127.0.0.1. <c>GET /api/v4/users/me</c>,
/// <c>POST /api/v4/posts</c> (201 with the created post) and <c>GET /api/v4/posts/{id}</c>, each checking
/// <c>Authorization: Bearer</c>; errors in Mattermost's documented shape
/// <c>{"id","message","detailed_error","request_id","status_code"}</c>. Records posts; scripts failures with headers.
/// </summary>
public sealed class FakeMattermostApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<JsonElement> _posts = [];
    private readonly Queue<(int Status, string Id, string Message, IReadOnlyDictionary<string, string> Headers)> _failures = new();
    private readonly Dictionary<string, string> _rootOf = new(StringComparer.Ordinal);
    private int _nextPost;

    private FakeMattermostApi(WebApplication app, string botToken)
    {
        _app = app;
        BotToken = botToken;
    }

    public const string BotUserId = "b0tuser0000000000000000000";

    public const string BotUsername = "clawbot";

    public string BotToken { get; }

    /// <summary>The server URL to give the adapter as <c>server_url</c>.</summary>
    public Uri ServerUrl { get; private set; } = null!;

    /// <summary>The JSON bodies of the accepted POST /posts calls.</summary>
    public IReadOnlyList<JsonElement> Posts
    {
        get
        {
            lock (_gate)
                return _posts.ToArray();
        }
    }

    /// <summary>How many POST /posts calls arrived (accepted or not).</summary>
    public int PostAttempts { get; private set; }

    public static async Task<FakeMattermostApi> StartAsync(string botToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeMattermostApi(app, botToken);
        app.MapGet("/api/v4/users/me", fake.MeAsync);
        app.MapPost("/api/v4/posts", fake.CreatePostAsync);
        app.MapGet("/api/v4/posts/{id}", fake.GetPostAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.ServerUrl = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>The next POST /posts answers HTTP <paramref name="status"/> with an error of <paramref name="id"/>.</summary>
    public void FailNextPost(int status, string id, string message, IReadOnlyDictionary<string, string>? headers = null)
    {
        lock (_gate)
            _failures.Enqueue((status, id, message, headers ?? new Dictionary<string, string>()));
    }

    /// <summary>Makes <paramref name="postId"/> a reply in the thread of <paramref name="rootId"/> (a root_id under it is then refused).</summary>
    public void SetReply(string postId, string rootId)
    {
        lock (_gate)
            _rootOf[postId] = rootId;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task MeAsync(HttpContext context) => Authorized(context)
        ? WriteAsync(context, 200, new JsonObject { ["id"] = BotUserId, ["username"] = BotUsername, ["is_bot"] = true }.ToJsonString())
        : ErrorAsync(context, 401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.");

    private async Task CreatePostAsync(HttpContext context)
    {
        PostAttempts++;
        if (!Authorized(context))
        {
            await ErrorAsync(context, 401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.");
            return;
        }

        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        var body = document.RootElement.Clone();
        (int Status, string Id, string Message, IReadOnlyDictionary<string, string> Headers)? failure = null;
        bool rootIsReply;
        lock (_gate)
        {
            if (_failures.Count > 0)
                failure = _failures.Dequeue();
            rootIsReply = body.TryGetProperty("root_id", out var root) && _rootOf.ContainsKey(root.GetString()!);
        }

        if (failure is { } f)
        {
            foreach (var (name, value) in f.Headers)
                context.Response.Headers[name] = value;
            await ErrorAsync(context, f.Status, f.Id, f.Message);
            return;
        }

        if (rootIsReply)
        {
            await ErrorAsync(context, 400, "api.post.create_post.root_id.app_error", "Invalid RootId parameter.");
            return;
        }

        var id = "p" + Interlocked.Increment(ref _nextPost).ToString("D25", CultureInfo.InvariantCulture);
        lock (_gate)
            _posts.Add(body);
        var post = new JsonObject
        {
            ["id"] = id,
            ["create_at"] = 1_700_000_000_000,
            ["user_id"] = BotUserId,
            ["channel_id"] = body.GetProperty("channel_id").GetString(),
            ["root_id"] = body.TryGetProperty("root_id", out var r) ? r.GetString() : "",
            ["message"] = body.GetProperty("message").GetString(),
        };
        await WriteAsync(context, 201, post.ToJsonString());
    }

    private Task GetPostAsync(HttpContext context, string id)
    {
        if (!Authorized(context))
            return ErrorAsync(context, 401, "api.context.session_expired.app_error", "Invalid or expired session, please login again.");
        string root;
        lock (_gate)
            root = _rootOf.TryGetValue(id, out var r) ? r : string.Empty;
        return WriteAsync(context, 200, new JsonObject { ["id"] = id, ["root_id"] = root }.ToJsonString());
    }

    private bool Authorized(HttpContext context) => context.Request.Headers.Authorization.ToString() == "Bearer " + BotToken;

    private static Task ErrorAsync(HttpContext context, int status, string id, string message) =>
        WriteAsync(context, status, new JsonObject
        {
            ["id"] = id, ["message"] = message, ["detailed_error"] = "", ["request_id"] = "fake" + status, ["status_code"] = status,
        }.ToJsonString());

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, Encoding.UTF8);
    }
}
