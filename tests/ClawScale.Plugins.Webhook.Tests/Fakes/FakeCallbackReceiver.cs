using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Webhook.Tests.Fakes;

/// <summary>
/// A fake integrated system: real Kestrel on 127.0.0.1 with a free port, answering <c>POST /callback</c>. Records
/// every request (headers and raw body); answers 200 <c>{"message_id":"cb-N"}</c> unless a scripted answer is queued;
/// can hang a request until the client gives up.
/// </summary>
public sealed class FakeCallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<RecordedCallback> _requests = [];
    private readonly Queue<ScriptedAnswer> _script = new();
    private int _count;

    private FakeCallbackReceiver(WebApplication app) => _app = app;

    /// <summary>The URL to configure as <c>callback_url</c>.</summary>
    public Uri CallbackUrl { get; private set; } = null!;

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<RecordedCallback> Requests
    {
        get
        {
            lock (_gate)
                return _requests.ToArray();
        }
    }

    public static async Task<FakeCallbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeCallbackReceiver(app);
        app.MapPost("/callback", fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.CallbackUrl = new Uri(new Uri(address), "/callback");
        return fake;
    }

    /// <summary>The next request gets this answer.</summary>
    public void Enqueue(int status, string body = "", string? retryAfter = null)
    {
        lock (_gate)
            _script.Enqueue(new ScriptedAnswer(status, body, retryAfter, Hang: false));
    }

    /// <summary>The next request is never answered (until the client disconnects or the fake stops).</summary>
    public void EnqueueHang()
    {
        lock (_gate)
            _script.Enqueue(new ScriptedAnswer(0, string.Empty, null, Hang: true));
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        ScriptedAnswer? answer;
        int n;
        lock (_gate)
        {
            _requests.Add(new RecordedCallback(headers, buffer.ToArray()));
            answer = _script.Count > 0 ? _script.Dequeue() : null;
            n = ++_count;
        }

        if (answer is { Hang: true })
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        if (answer is null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($"{{\"message_id\":\"cb-{n}\"}}");
            return;
        }

        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is not null)
            context.Response.Headers.RetryAfter = answer.RetryAfter;
        if (answer.Body.Length > 0)
            await context.Response.WriteAsync(answer.Body);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private sealed record ScriptedAnswer(int Status, string Body, string? RetryAfter, bool Hang);
}

/// <summary>One request the fake received.</summary>
public sealed record RecordedCallback(IReadOnlyDictionary<string, string> Headers, byte[] Body);
