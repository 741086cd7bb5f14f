using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Mattermost;

/// <summary>
/// The HTTP seam to Mattermost's REST API v4 (api.mattermost.com) with the bot's access token as
/// <c>Authorization: Bearer</c>: <c>GET users/me</c>, <c>POST posts</c>, <c>GET posts/{id}</c>. Calls go through the
/// channel's HttpClient (the kernel's outbound guard) with a per-call timeout.
/// </summary>
public sealed class MattermostApiClient
{
    private const int MaxErrorLength = 300;
    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly string _botToken;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal MattermostApiClient(HttpClient http, MattermostOptions options, string botToken, TimeProvider time, ILogger logger)
    {
        _http = http;
        _baseUrl = options.ApiBaseUrl;
        _botToken = botToken;
        _timeout = options.RequestTimeout;
        _time = time;
        _logger = logger;
    }

    /// <summary><c>GET /api/v4/users/me</c>: the bot account (<c>id</c>, <c>username</c>).</summary>
    public Task<MattermostApiResult> GetMeAsync(CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, "users/me", null, cancellationToken);

    /// <summary><c>POST /api/v4/posts</c> with <c>{"channel_id","message","root_id"}</c>; 201 with the post (<c>id</c>).</summary>
    public Task<MattermostApiResult> CreatePostAsync(string channelId, string message, string? rootId, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["channel_id"] = channelId, ["message"] = message };
        if (!string.IsNullOrEmpty(rootId))
            body["root_id"] = rootId;
        return SendAsync(HttpMethod.Post, "posts", body.ToJsonString(), cancellationToken);
    }

    /// <summary><c>GET /api/v4/posts/{post_id}</c>: the post (<c>root_id</c> is set when it is a reply).</summary>
    public Task<MattermostApiResult> GetPostAsync(string postId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "posts/" + Uri.EscapeDataString(postId), null, cancellationToken);

    private async Task<MattermostApiResult> SendAsync(HttpMethod method, string path, string? json, CancellationToken cancellationToken)
    {
        var api = method.Method + " " + (path.StartsWith("posts/", StringComparison.Ordinal) ? "posts/{id}" : path);
        using var timeoutCts = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        MattermostApiResult result;
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(_baseUrl, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _botToken);
            if (json is not null)
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var bytes = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            JsonElement? body = null;
            try
            {
                if (bytes.Length > 0)
                {
                    using var document = JsonDocument.Parse(bytes);
                    body = document.RootElement.Clone();
                }
            }
            catch (JsonException)
            {
            }

            result = new MattermostApiResult { HttpStatus = status, Body = body, RetryAfter = WaitFrom(response) };
            if (!result.Ok)
            {
                result = result with
                {
                    ErrorId = Cut(result.String("id")),
                    ErrorMessage = Cut(result.String("message")),
                    TransportError = body is null ? $"{api} answered HTTP {status} {response.ReasonPhrase}" : null,
                };
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = new MattermostApiResult { TransportError = $"{api}: no answer within {_timeout.TotalSeconds:0.#} s" };
        }
        catch (HttpRequestException ex)
        {
            result = new MattermostApiResult { TransportError = $"{api}: {ex.Message}" };
        }

        if (!result.Ok)
            MattermostLog.CallFailed(_logger, api, result.HttpStatus, result.Describe());
        return result;
    }

    private TimeSpan? WaitFrom(HttpResponseMessage response)
    {
        switch (response.Headers.RetryAfter)
        {
            case { Delta: { } delta }:
                return delta;
            case { Date: { } date }:
                var until = date - _time.GetUtcNow();
                return until > TimeSpan.Zero ? until : TimeSpan.Zero;
        }

        if (response.Headers.TryGetValues("X-Ratelimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var reset))
        {
            // Mattermost sends the seconds until the window resets; a value that large can only be a Unix time.
            if (reset > 1_000_000_000)
            {
                var until = DateTimeOffset.FromUnixTimeSeconds(Math.Min(reset, 253402300799)) - _time.GetUtcNow();
                return until > TimeSpan.Zero ? until : TimeSpan.Zero;
            }

            return TimeSpan.FromSeconds(reset);
        }

        return null;
    }

    private static string? Cut(string? text) => text is { Length: > MaxErrorLength } ? text[..MaxErrorLength] : text;
}
