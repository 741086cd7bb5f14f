using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Tests.Infrastructure;

/// <summary>
/// A listener that records every request it receives (method, path and query, headers, body) and answers each with
/// one fixed response: an address chosen by an attacker, or a platform API the test only watches. Kestrel on
/// 127.0.0.1 with a port chosen by the OS; HTTP/1.1, or HTTP/2 without TLS for gRPC clients.
/// </summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests;

    private RecordingServer(WebApplication app, ConcurrentQueue<RecordedRequest> requests, Uri address)
    {
        _app = app;
        _requests = requests;
        Address = address;
    }

    /// <summary>The base address, for example <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public Uri Address { get; }

    /// <summary>The base address as text without a trailing slash.</summary>
    public string BaseUrl => Address.GetLeftPart(UriPartial.Authority);

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Starts a recorder.</summary>
    /// <param name="http2">HTTP/2 only (prior knowledge, as gRPC clients speak it) instead of HTTP/1.1.</param>
    /// <param name="status">The status of every answer.</param>
    /// <param name="body">The JSON body of every answer.</param>
    public static async Task<RecordingServer> StartAsync(bool http2 = false, int status = StatusCodes.Status503ServiceUnavailable, string body = "{}")
    {
        var requests = new ConcurrentQueue<RecordedRequest>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = http2 ? HttpProtocols.Http2 : HttpProtocols.Http1));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(http.RequestAborted);
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            requests.Enqueue(new RecordedRequest(http.Request.Method, http.Request.Path + http.Request.QueryString, headers, text));
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(body, http.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RecordingServer(app, requests, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request a <see cref="RecordingServer"/> received.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The path with its query string.</param>
/// <param name="Headers">The headers (names compared ignoring case), values joined with commas.</param>
/// <param name="Body">The body as UTF-8 text.</param>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>Everything received as one text: request line, headers and body.</summary>
    public string Text => $"{Method} {PathAndQuery}\n{string.Join("\n", Headers.Select(h => h.Key + ": " + h.Value))}\n\n{Body}";
}
