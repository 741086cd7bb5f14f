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

namespace ClawScale.Plugins.Telegram.Tests.Fakes;

/// <summary>
/// A fake Telegram Bot API server: real Kestrel on 127.0.0.1 with a free port, answering
/// <c>/bot{token}/{method}</c> in the Bot API's envelope (<c>{ok, result}</c> / <c>{ok:false, error_code, description,
/// parameters}</c>). Implements getMe, setWebhook, deleteWebhook, getWebhookInfo, getUpdates (queued updates, offset
/// confirmation, long-poll wait), sendMessage, sendPhoto, sendDocument and getFile; records every call; can script
/// failures. A wrong token gets 401 Unauthorized like Telegram. Self-contained so kernel functional tests can reuse it.
/// </summary>
public sealed class FakeTelegramBotApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<FakeTelegramCall> _calls = [];
    private readonly List<(long Id, string Json)> _updates = [];
    private readonly Queue<ScriptedFailure?> _sendFailures = new();
    private readonly Queue<ScriptedFailure> _getUpdatesFailures = new();
    private ScriptedFailure? _everySendFails;
    private TaskCompletionSource _updatesArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextMessageId = 5000;
    private int _activeGetUpdates;

    private FakeTelegramBotApi(WebApplication app, string token, long botId, string botUsername)
    {
        _app = app;
        Token = token;
        BotId = botId;
        BotUsername = botUsername;
    }

    /// <summary>The base URL to give the adapter as <c>api_base_url</c>, for example http://127.0.0.1:41234.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The only token the fake accepts.</summary>
    public string Token { get; }

    /// <summary>The bot's id returned by getMe.</summary>
    public long BotId { get; }

    /// <summary>The bot's username returned by getMe.</summary>
    public string BotUsername { get; }

    /// <summary>The webhook URL set by setWebhook, or null.</summary>
    public string? WebhookUrl { get; private set; }

    /// <summary>The secret_token set by setWebhook, or null.</summary>
    public string? WebhookSecretToken { get; private set; }

    /// <summary>Every call so far, in arrival order.</summary>
    public IReadOnlyList<FakeTelegramCall> Calls
    {
        get
        {
            lock (_gate)
                return _calls.ToArray();
        }
    }

    /// <summary>Starts a fake for <paramref name="token"/> (its digits before ':' are the bot id).</summary>
    public static async Task<FakeTelegramBotApi> StartAsync(string token, string botUsername = "yourbot")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var botId = long.Parse(token.AsSpan(0, token.IndexOf(':', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        var fake = new FakeTelegramBotApi(app, token, botId, botUsername);
        app.Map("/bot{token}/{method}", fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address);
        return fake;
    }

    /// <summary>The calls of one method, in order.</summary>
    public IReadOnlyList<FakeTelegramCall> CallsTo(string method) => Calls.Where(c => c.Method == method).ToArray();

    /// <summary>Queues an update (raw JSON in the Bot API's Update shape, with its update_id) for getUpdates.</summary>
    public void EnqueueUpdate(string updateJson)
    {
        var id = JsonNode.Parse(updateJson)!["update_id"]!.GetValue<long>();
        lock (_gate)
        {
            _updates.Add((id, updateJson));
            _updatesArrived.TrySetResult();
        }
    }

    /// <summary>The ids of updates not yet confirmed by a getUpdates offset.</summary>
    public IReadOnlyList<long> PendingUpdateIds
    {
        get
        {
            lock (_gate)
                return _updates.Select(u => u.Id).ToArray();
        }
    }

    /// <summary>getUpdates calls being answered right now (long polls waiting for updates included).</summary>
    public int ActiveGetUpdates => Volatile.Read(ref _activeGetUpdates);

    /// <summary>The next <paramref name="count"/> sendMessage/sendPhoto/sendDocument calls fail with this error.</summary>
    public void FailNextSends(int count, int errorCode, string description, int? retryAfter = null, long? migrateToChatId = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
                _sendFailures.Enqueue(new ScriptedFailure(errorCode, description, retryAfter, migrateToChatId));
        }
    }

    /// <summary>Every sendMessage/sendPhoto/sendDocument call fails with this error until <see cref="HealSends"/>.</summary>
    public void FailAllSends(int errorCode, string description, int? retryAfter = null)
    {
        lock (_gate)
            _everySendFails = new ScriptedFailure(errorCode, description, retryAfter, null);
    }

    /// <summary>Ends <see cref="FailAllSends"/> and drops the failures still scripted by <see cref="FailNextSends"/>.</summary>
    public void HealSends()
    {
        lock (_gate)
        {
            _everySendFails = null;
            _sendFailures.Clear();
        }
    }

    /// <summary>The next <paramref name="count"/> sends succeed (scripts a failure after some successes).</summary>
    public void SucceedNextSends(int count)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
                _sendFailures.Enqueue(null);
        }
    }

    /// <summary>The next <paramref name="count"/> getUpdates calls fail with this error.</summary>
    public void FailNextGetUpdates(int count, int errorCode, string description, int? retryAfter = null)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
                _getUpdatesFailures.Enqueue(new ScriptedFailure(errorCode, description, retryAfter, null));
        }
    }

    /// <summary>Waits (bounded) until <paramref name="method"/> has been called at least <paramref name="count"/> times.</summary>
    public async Task<IReadOnlyList<FakeTelegramCall>> WaitForCallsAsync(string method, int count, TimeSpan? bound = null)
    {
        var deadline = DateTime.UtcNow + (bound ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var calls = CallsTo(method);
            if (calls.Count >= count)
                return calls;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{method} was called {calls.Count} times, expected {count}");
            await Task.Delay(10);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var token = (string)context.Request.RouteValues["token"]!;
        var method = (string)context.Request.RouteValues["method"]!;
        var call = await ReadCallAsync(context.Request, token, method);
        if (!string.Equals(token, Token, StringComparison.Ordinal))
        {
            lock (_gate)
                _calls.Add(call with { ErrorCode = 401 });
            await ErrorAsync(context, new ScriptedFailure(401, "Unauthorized", null, null));
            return;
        }

        // Sends are recorded by SendAsync together with the answer it chooses (see FakeTelegramCall.ErrorCode).
        if (method is not ("sendMessage" or "sendPhoto" or "sendDocument"))
        {
            lock (_gate)
                _calls.Add(call);
        }

        switch (method)
        {
            case "getMe":
                await OkAsync(context, new JsonObject
                {
                    ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Your Bot", ["username"] = BotUsername,
                    ["can_join_groups"] = true, ["can_read_all_group_messages"] = false, ["supports_inline_queries"] = false,
                });
                break;
            case "setWebhook":
                WebhookUrl = call.Parameter("url");
                WebhookSecretToken = call.Parameter("secret_token");
                await OkAsync(context, true, "Webhook was set");
                break;
            case "deleteWebhook":
                var existed = WebhookUrl is not null;
                WebhookUrl = null;
                WebhookSecretToken = null;
                await OkAsync(context, true, existed ? "Webhook was deleted" : "Webhook is already deleted");
                break;
            case "getWebhookInfo":
                await OkAsync(context, new JsonObject { ["url"] = WebhookUrl ?? string.Empty, ["has_custom_certificate"] = false, ["pending_update_count"] = PendingUpdateIds.Count });
                break;
            case "getUpdates":
                Interlocked.Increment(ref _activeGetUpdates);
                try
                {
                    await GetUpdatesAsync(context, call);
                }
                finally
                {
                    Interlocked.Decrement(ref _activeGetUpdates);
                }

                break;
            case "sendMessage":
            case "sendPhoto":
            case "sendDocument":
                await SendAsync(context, call);
                break;
            case "getFile":
                var fileId = call.Parameter("file_id") ?? string.Empty;
                await OkAsync(context, new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "u" + fileId, ["file_size"] = 1234, ["file_path"] = "documents/file_0.pdf" });
                break;
            default:
                await ErrorAsync(context, new ScriptedFailure(404, "Not Found", null, null));
                break;
        }
    }

    private async Task GetUpdatesAsync(HttpContext context, FakeTelegramCall call)
    {
        ScriptedFailure? failure = null;
        lock (_gate)
        {
            if (_getUpdatesFailures.Count > 0)
                failure = _getUpdatesFailures.Dequeue();
        }

        if (failure is not null)
        {
            await ErrorAsync(context, failure);
            return;
        }

        if (WebhookUrl is not null)
        {
            await ErrorAsync(context, new ScriptedFailure(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", null, null));
            return;
        }

        long? offset = long.TryParse(call.Parameter("offset"), CultureInfo.InvariantCulture, out var o) ? o : null;
        var timeout = int.TryParse(call.Parameter("timeout"), CultureInfo.InvariantCulture, out var t) ? Math.Clamp(t, 0, 50) : 0;
        var limit = int.TryParse(call.Parameter("limit"), CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 100) : 100;
        var deadline = DateTime.UtcNow.AddSeconds(timeout);
        while (true)
        {
            List<string> batch;
            Task arrived;
            lock (_gate)
            {
                if (offset is { } confirmed)
                    _updates.RemoveAll(u => u.Id < confirmed);
                batch = _updates.OrderBy(u => u.Id).Take(limit).Select(u => u.Json).ToList();
                if (_updatesArrived.Task.IsCompleted)
                    _updatesArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                arrived = _updatesArrived.Task;
            }

            var remaining = deadline - DateTime.UtcNow;
            if (batch.Count > 0 || remaining <= TimeSpan.Zero)
            {
                await WriteAsync(context, 200, $"{{\"ok\":true,\"result\":[{string.Join(',', batch)}]}}");
                return;
            }

            try
            {
                await arrived.WaitAsync(remaining, context.RequestAborted);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SendAsync(HttpContext context, FakeTelegramCall call)
    {
        ScriptedFailure? failure = null;
        long messageId;
        lock (_gate)
        {
            if (_everySendFails is not null)
                failure = _everySendFails;
            else if (_sendFailures.Count > 0)
                failure = _sendFailures.Dequeue();
            messageId = ++_nextMessageId;
            _calls.Add(failure is null ? call : call with { ErrorCode = failure.ErrorCode });
        }

        if (failure is not null)
        {
            await ErrorAsync(context, failure);
            return;
        }

        var chatId = call.Parameter("chat_id") ?? "0";
        var message = new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Your Bot", ["username"] = BotUsername },
            ["chat"] = new JsonObject
            {
                ["id"] = long.TryParse(chatId, CultureInfo.InvariantCulture, out var id) ? id : 0,
                ["type"] = chatId.StartsWith('-') ? "supergroup" : "private",
            },
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        if (call.Parameter("message_thread_id") is { } thread)
            message["message_thread_id"] = long.Parse(thread, CultureInfo.InvariantCulture);
        if (call.Parameter("text") is { } text)
            message["text"] = text;
        if (call.Parameter("caption") is { } caption)
            message["caption"] = caption;
        await OkAsync(context, message);
    }

    private static async Task<FakeTelegramCall> ReadCallAsync(HttpRequest request, string token, string method)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
            form[key] = value.ToString();
        var files = new List<FakeTelegramUpload>();
        JsonElement? json = null;
        if (request.HasJsonContentType())
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            json = document.RootElement.Clone();
        }
        else if (request.HasFormContentType)
        {
            var collection = await request.ReadFormAsync();
            foreach (var (key, value) in collection)
                form[key] = value.ToString();
            foreach (var file in collection.Files)
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer);
                files.Add(new FakeTelegramUpload(AttachedAs(collection, file.Name), file.FileName, file.ContentType, buffer.ToArray()));
            }
        }

        return new FakeTelegramCall { Method = method, Token = token, Json = json, Form = form, Files = files, ReceivedAt = receivedAt };
    }

    /// <summary>
    /// The field a file part is for. Bot API "Sending files" / "InputFile": a part is either named after its field
    /// (<c>document</c>) or named freely and referenced from the field as <c>attach://&lt;part name&gt;</c>.
    /// </summary>
    private static string AttachedAs(IFormCollection form, string partName) =>
        form.FirstOrDefault(f => string.Equals(f.Value.ToString(), "attach://" + partName, StringComparison.Ordinal)).Key ?? partName;

    private static Task OkAsync(HttpContext context, JsonNode result, string? description = null)
    {
        var envelope = new JsonObject { ["ok"] = true, ["result"] = result };
        if (description is not null)
            envelope["description"] = description;
        return WriteAsync(context, 200, envelope.ToJsonString());
    }

    private static Task ErrorAsync(HttpContext context, ScriptedFailure failure)
    {
        var envelope = new JsonObject { ["ok"] = false, ["error_code"] = failure.ErrorCode, ["description"] = failure.Description };
        if (failure.RetryAfter is not null || failure.MigrateToChatId is not null)
        {
            var parameters = new JsonObject();
            if (failure.RetryAfter is { } retryAfter)
                parameters["retry_after"] = retryAfter;
            if (failure.MigrateToChatId is { } migrate)
                parameters["migrate_to_chat_id"] = migrate;
            envelope["parameters"] = parameters;
        }

        return WriteAsync(context, failure.ErrorCode is >= 400 and < 600 ? failure.ErrorCode : 400, envelope.ToJsonString());
    }

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, Encoding.UTF8);
    }

    private sealed record ScriptedFailure(int ErrorCode, string Description, int? RetryAfter, long? MigrateToChatId);
}
