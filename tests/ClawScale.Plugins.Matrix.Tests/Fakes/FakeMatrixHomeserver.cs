using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Matrix.Tests.Fakes;

/// <summary>
/// A fake Matrix homeserver: real Kestrel on 127.0.0.1 (free port) serving the client-server API v3 endpoints the plugin
/// uses, shaped as the spec documents them (https://spec.matrix.org/v1.11/client-server-api/): <c>GET /account/whoami</c>,
/// <c>GET /profile/{userId}/displayname</c>, <c>GET /sync</c> (events appended to a room timeline log; <c>next_batch</c> is
/// <c>s{position}</c>; a sync without <c>since</c> returns every event so far, the history, with each room's
/// <c>summary</c>; with <c>since</c> it returns the events after it, waiting up to <c>timeout</c> ms for one),
/// <c>GET /rooms/{roomId}/joined_members</c>, <c>POST /join/{roomId}</c>, and
/// <c>PUT /rooms/{roomId}/send/m.room.message/{txnId}</c> (a repeated txnId answers the first event id without sending
/// again, as the spec's transaction idempotency requires; scripted failures use the standard error body). A wrong
/// access token gets 401 <c>M_UNKNOWN_TOKEN</c>.
/// </summary>
public sealed class FakeMatrixHomeserver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly List<FakeMatrixCall> _calls = [];
    private readonly List<(string RoomId, string EventJson)> _log = [];
    private readonly Dictionary<string, int> _members = new(StringComparer.Ordinal);
    private readonly HashSet<string> _invites = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _txns = new(StringComparer.Ordinal);
    private readonly Queue<(int Status, string Body)> _sendFailures = new();
    private (int Status, string Body)? _everySendFails;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextEvent;

    private FakeMatrixHomeserver(WebApplication app, string token, string userId)
    {
        _app = app;
        Token = token;
        UserId = userId;
    }

    /// <summary>The base URL to give the adapter as <c>homeserver_url</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The only access token accepted.</summary>
    public string Token { get; }

    /// <summary>The bot's user id.</summary>
    public string UserId { get; }

    /// <summary>The bot's display name.</summary>
    public string DisplayName { get; set; } = "ClawBot";

    /// <summary>Every call so far.</summary>
    public IReadOnlyList<FakeMatrixCall> Calls
    {
        get
        {
            lock (_gate)
                return _calls.ToArray();
        }
    }

    /// <summary>The send calls (failed ones included).</summary>
    public IReadOnlyList<FakeMatrixCall> Sends => Calls.Where(c => c.TxnId is not null).ToArray();

    /// <summary>The sync calls.</summary>
    public IReadOnlyList<FakeMatrixCall> Syncs => Calls.Where(c => c.Path.EndsWith("/sync", StringComparison.Ordinal)).ToArray();

    /// <summary>Starts a fake for the bot <paramref name="userId"/> with <paramref name="token"/>.</summary>
    public static async Task<FakeMatrixHomeserver> StartAsync(string token = "syt_Y2xhd2JvdA_testtoken_0a1b2c", string userId = "@clawbot:example.org")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeMatrixHomeserver(app, token, userId);
        const string api = "/_matrix/client/v3";
        app.MapGet(api + "/account/whoami", (Delegate)fake.WhoAmI);
        app.MapGet(api + "/profile/{userId}/displayname", (Delegate)fake.Profile);
        app.MapGet(api + "/sync", (Delegate)fake.SyncAsync);
        app.MapGet(api + "/rooms/{roomId}/joined_members", (Delegate)fake.JoinedMembers);
        app.MapPost(api + "/join/{roomId}", (Delegate)fake.Join);
        app.MapPut(api + "/rooms/{roomId}/send/m.room.message/{txnId}", (Delegate)fake.SendAsync);
        await app.StartAsync();
        fake.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return fake;
    }

    /// <summary>Declares a room the bot is in with <paramref name="members"/> joined members (the bot included).</summary>
    public void AddRoom(string roomId, int members)
    {
        lock (_gate) _members[roomId] = members;
    }

    /// <summary>Invites the bot to <paramref name="roomId"/> (shown under <c>rooms.invite</c> until joined).</summary>
    public void Invite(string roomId)
    {
        lock (_gate)
        {
            _invites.Add(roomId);
            _arrived.TrySetResult();
        }
    }

    /// <summary>Whether the bot has joined <paramref name="roomId"/> through <c>/join</c>.</summary>
    public bool Joined(string roomId) => Calls.Any(c => c.Method == "POST" && c.Path.EndsWith("/join/" + roomId, StringComparison.Ordinal));

    /// <summary>Appends an event (client-server event JSON) to a room's timeline.</summary>
    public void Post(string roomId, string eventJson)
    {
        lock (_gate)
        {
            _log.Add((roomId, JsonNode.Parse(eventJson)!.ToJsonString()));
            _arrived.TrySetResult();
        }
    }

    /// <summary>The next <paramref name="count"/> sends answer <paramref name="status"/> with the error body <paramref name="body"/>.</summary>
    public void FailNextSends(int count, int status, string body)
    {
        lock (_gate)
            for (var i = 0; i < count; i++) _sendFailures.Enqueue((status, body));
    }

    /// <summary>Every send fails until <see cref="HealSends"/>.</summary>
    public void FailAllSends(int status, string body)
    {
        lock (_gate) _everySendFails = (status, body);
    }

    /// <summary>Sends succeed again.</summary>
    public void HealSends()
    {
        lock (_gate)
        {
            _everySendFails = null;
            _sendFailures.Clear();
        }
    }

    private bool Authorized(HttpContext context, out IResult? refusal)
    {
        refusal = null;
        if (context.Request.Headers.Authorization.FirstOrDefault() == "Bearer " + Token) return true;
        Record(new FakeMatrixCall(context.Request.Method, context.Request.Path, null, string.Empty, 401, DateTimeOffset.UtcNow));
        refusal = Results.Json(new { errcode = "M_UNKNOWN_TOKEN", error = "Invalid access token passed.", soft_logout = false }, statusCode: 401);
        return false;
    }

    private void Record(FakeMatrixCall call)
    {
        lock (_gate) _calls.Add(call);
    }

    private IResult WhoAmI(HttpContext context)
    {
        if (!Authorized(context, out var refusal)) return refusal!;
        Record(new FakeMatrixCall("GET", context.Request.Path, null, string.Empty, 200, DateTimeOffset.UtcNow));
        return Results.Json(new { user_id = UserId, device_id = "ABCDEFGHIJ", is_guest = false });
    }

    private IResult Profile(HttpContext context, string userId)
    {
        if (!Authorized(context, out var refusal)) return refusal!;
        Record(new FakeMatrixCall("GET", context.Request.Path, null, string.Empty, 200, DateTimeOffset.UtcNow));
        return Results.Json(new { displayname = DisplayName });
    }

    private IResult JoinedMembers(HttpContext context, string roomId)
    {
        if (!Authorized(context, out var refusal)) return refusal!;
        Record(new FakeMatrixCall("GET", context.Request.Path, null, string.Empty, 200, DateTimeOffset.UtcNow));
        int count;
        lock (_gate) count = _members.GetValueOrDefault(roomId, 2);
        var joined = new JsonObject { [UserId] = new JsonObject { ["display_name"] = DisplayName } };
        for (var i = 1; i < count; i++) joined[$"@member{i}:example.org"] = new JsonObject { ["display_name"] = $"Member {i}" };
        return Results.Json(new JsonObject { ["joined"] = joined });
    }

    private IResult Join(HttpContext context, string roomId)
    {
        if (!Authorized(context, out var refusal)) return refusal!;
        Record(new FakeMatrixCall("POST", context.Request.Path, null, string.Empty, 200, DateTimeOffset.UtcNow));
        lock (_gate)
        {
            _invites.Remove(roomId);
            _members.TryAdd(roomId, 2);
        }

        return Results.Json(new { room_id = roomId });
    }

    private async Task<IResult> SyncAsync(HttpContext context)
    {
        if (!Authorized(context, out var refusal)) return refusal!;
        var since = context.Request.Query["since"].FirstOrDefault();
        var timeoutMs = long.TryParse(context.Request.Query["timeout"], out var t) ? t : 0;
        Record(new FakeMatrixCall("GET", context.Request.Path, since, string.Empty, 200, DateTimeOffset.UtcNow));
        var from = since is null ? 0 : int.Parse(since.AsSpan(1), CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(Math.Min(timeoutMs, 30_000));
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                if (since is null || _log.Count > from || _invites.Count > 0 || DateTime.UtcNow >= deadline)
                    return Results.Json(BuildSync(from, initial: since is null));
                if (_arrived.Task.IsCompleted) _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                arrived = _arrived.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left > TimeSpan.Zero)
            {
                try
                {
                    await arrived.WaitAsync(left, context.RequestAborted);
                }
                catch (TimeoutException)
                {
                }
                catch (OperationCanceledException)
                {
                    return Results.Empty;
                }
            }
        }
    }

    /// <summary>A sync answer in the spec's shape (caller holds the lock).</summary>
    private JsonObject BuildSync(int from, bool initial)
    {
        var join = new JsonObject();
        foreach (var roomId in initial ? _members.Keys.ToList() : [])
            join[roomId] = Room(roomId);
        for (var i = from; i < _log.Count; i++)
        {
            var (roomId, json) = _log[i];
            if (join[roomId] is not JsonObject room)
                join[roomId] = room = Room(roomId);
            room["timeline"]!["events"]!.AsArray().Add(JsonNode.Parse(json));
        }

        var invite = new JsonObject();
        foreach (var roomId in _invites)
        {
            invite[roomId] = new JsonObject
            {
                ["invite_state"] = new JsonObject
                {
                    ["events"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "m.room.member",
                        ["state_key"] = UserId,
                        ["sender"] = "@example:example.org",
                        ["content"] = new JsonObject { ["membership"] = "invite" },
                    }),
                },
            };
        }

        return new JsonObject
        {
            ["next_batch"] = "s" + _log.Count.ToString(CultureInfo.InvariantCulture),
            ["rooms"] = new JsonObject { ["join"] = join, ["invite"] = invite, ["leave"] = new JsonObject() },
            ["presence"] = new JsonObject { ["events"] = new JsonArray() },
            ["account_data"] = new JsonObject { ["events"] = new JsonArray() },
        };

        JsonObject Room(string roomId)
        {
            var room = new JsonObject
            {
                ["timeline"] = new JsonObject { ["events"] = new JsonArray(), ["limited"] = false, ["prev_batch"] = "p" + from.ToString(CultureInfo.InvariantCulture) },
                ["state"] = new JsonObject { ["events"] = new JsonArray() },
                ["ephemeral"] = new JsonObject { ["events"] = new JsonArray() },
                ["account_data"] = new JsonObject { ["events"] = new JsonArray() },
                ["unread_notifications"] = new JsonObject { ["highlight_count"] = 0, ["notification_count"] = 0 },
            };
            if (initial)
                room["summary"] = new JsonObject { ["m.joined_member_count"] = _members.GetValueOrDefault(roomId, 2), ["m.invited_member_count"] = 0, ["m.heroes"] = new JsonArray("@example:example.org") };
            return room;
        }
    }

    private async Task<IResult> SendAsync(HttpContext context, string roomId, string txnId)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        if (!Authorized(context, out var refusal)) return refusal!;
        (int Status, string Body)? failure = null;
        string? existing;
        lock (_gate)
        {
            _txns.TryGetValue(txnId, out existing);
            if (existing is null)
            {
                if (_everySendFails is { } every) failure = every;
                else if (_sendFailures.Count > 0) failure = _sendFailures.Dequeue();
            }
        }

        if (failure is { } f)
        {
            Record(new FakeMatrixCall("PUT", context.Request.Path, null, body, f.Status, DateTimeOffset.UtcNow) { RoomId = roomId, TxnId = txnId });
            return Results.Text(f.Body, "application/json", Encoding.UTF8, f.Status);
        }

        Record(new FakeMatrixCall("PUT", context.Request.Path, null, body, 200, DateTimeOffset.UtcNow) { RoomId = roomId, TxnId = txnId });
        lock (_gate)
        {
            if (!_txns.TryGetValue(txnId, out var eventId))
                _txns[txnId] = eventId = $"$sent{Interlocked.Increment(ref _nextEvent).ToString(CultureInfo.InvariantCulture)}:example.org";
            return Results.Json(new { event_id = eventId });
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
