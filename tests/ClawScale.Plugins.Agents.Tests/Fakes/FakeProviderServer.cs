using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Agents.Tests.Fakes;

/// <summary>
/// The Kestrel plumbing of a fake provider: listens on 127.0.0.1 with a free port, records every request, answers
/// from a script queue (default answer when empty). Depends on ASP.NET Core only, so other test projects can link
/// the Fakes folder.
/// </summary>
public abstract class FakeProviderServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeReply> script = new();
    private readonly List<RecordedRequest> requests = [];
    private readonly CancellationTokenSource stopping = new();
    private WebApplication? app;
    private TaskCompletionSource requestArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Scheme, host and port, for example <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Origin { get; private set; } = new("http://127.0.0.1");

    /// <summary>The answer text when the script is empty.</summary>
    public string DefaultText { get; set; } = "Hello from the fake provider.";

    /// <summary>When set, requests without this key get the provider's 401 answer.</summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>Requests received so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Queues answers for the next requests, in order.</summary>
    public void Enqueue(params FakeReply[] replies)
    {
        foreach (var reply in replies)
        {
            script.Enqueue(reply);
        }
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> requests have arrived.</summary>
    public async Task WaitForRequestsAsync(int count, TimeSpan? bound = null)
    {
        using var cts = new CancellationTokenSource(bound ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task signal;
            lock (requests)
            {
                if (requests.Count >= count)
                {
                    return;
                }

                signal = requestArrived.Task;
            }

            await signal.WaitAsync(cts.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The route the provider serves, for example <c>/v1/messages</c>.</summary>
    protected abstract string Route { get; }

    /// <summary>Checks auth and request shape; returns an error reply to send instead, or null.</summary>
    protected abstract FakeReply? Check(RecordedRequest request);

    /// <summary>The error body in the provider's documented envelope.</summary>
    protected abstract string ErrorBody(FakeReply reply);

    /// <summary>The non-streamed success body.</summary>
    protected abstract string JsonBody(FakeReply reply, string model);

    /// <summary>The streamed success body (SSE text).</summary>
    protected abstract string StreamBody(FakeReply reply, string model);

    protected async Task StartCoreAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.MapPost(Route, HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Origin = new Uri(address);
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var request = new RecordedRequest(http.Request.Method, http.Request.Path, headers, body);
        TaskCompletionSource arrived;
        lock (requests)
        {
            requests.Add(request);
            arrived = requestArrived;
            requestArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        arrived.TrySetResult();
        var reply = Check(request) ?? (script.TryDequeue(out var next) ? next : FakeReply.Answer(DefaultText));
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping.Token);
        if (reply.Stall)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, aborted.Token);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        if (reply.RetryAfter is { } retryAfter)
        {
            http.Response.Headers["retry-after"] = retryAfter;
        }

        if (reply.Status != 200)
        {
            http.Response.StatusCode = reply.Status;
            http.Response.ContentType = reply.RawBody is null ? "application/json" : "text/html";
            await http.Response.WriteAsync(reply.RawBody ?? ErrorBody(reply), aborted.Token);
            return;
        }

        var model = request.Json["model"]?.GetValue<string>() ?? "unknown";
        var stream = reply.Stream ?? request.Json["stream"]?.GetValue<bool>() ?? false;
        if (!stream)
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(JsonBody(reply, model), aborted.Token);
            return;
        }

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var bytes = Encoding.UTF8.GetBytes(StreamBody(reply, model));
        var size = reply.ChunkBytes > 0 ? reply.ChunkBytes : bytes.Length;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            await http.Response.Body.WriteAsync(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)), aborted.Token);
            await http.Response.Body.FlushAsync(aborted.Token);
        }
    }
}
