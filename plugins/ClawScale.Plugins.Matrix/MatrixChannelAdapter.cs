using System.Collections.Concurrent;
using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Matrix.Model;
using ClawScale.Plugins.Messages;
using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Matrix;

/// <summary>
/// One Matrix channel: a <c>/sync</c> long-poll listener whose <c>since</c> token is kept in the kernel's listener
/// checkpoint (<see cref="ChannelContext.ListenerCheckpoint"/>), and sends with
/// <c>PUT /rooms/{roomId}/send/m.room.message/{txnId}</c>. Matrix has no webhooks for clients: webhook calls get 404.
/// </summary>
public sealed class MatrixChannelAdapter : IChannelAdapter
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private readonly ChannelContext _context;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, int> _memberCounts = new(StringComparer.Ordinal);
    private string? _userId;
    private string? _displayName;

    /// <summary>Creates the adapter (the factory validates the inputs first).</summary>
    /// <param name="context">The channel and host services.</param>
    /// <param name="options">The parsed configuration.</param>
    /// <param name="accessToken">The bot's access token.</param>
    public MatrixChannelAdapter(ChannelContext context, MatrixOptions options, string accessToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
        _logger = context.Logger;
        Options = options;
        _displayName = options.DisplayName;
        Api = new MatrixApiClient(context.HttpClient, options.HomeserverUrl, accessToken, options.RequestTimeout, context.TimeProvider, context.Logger);
    }

    /// <summary>The channel's parsed configuration.</summary>
    public MatrixOptions Options { get; }

    /// <summary>The client-server API client.</summary>
    public MatrixApiClient Api { get; }

    /// <summary>The bot's user id, once <see cref="ConnectAsync"/> asked whoami.</summary>
    public string? UserId => Volatile.Read(ref _userId);

    /// <inheritdoc />
    public bool UsesListener => true;

    /// <summary>Refuses every call with 404: Matrix clients receive through <c>/sync</c>, not webhooks.</summary>
    public ValueTask<WebhookResult> HandleWebhookAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(WebhookResult.Reject(404, "Matrix channels receive through the kernel's /sync listener, not webhooks"));

    /// <summary>Asks <c>whoami</c> for the bot's user id and, unless <c>display_name</c> is configured, its display name.</summary>
    /// <exception cref="InvalidOperationException">The token is rejected or the homeserver unreachable; the message says what to do.</exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        var me = await Api.WhoAmIAsync(cancellationToken).ConfigureAwait(false);
        if (!me.Ok || me.Value?.UserId is not { } userId)
        {
            var error = me.StatusCode == 401 || me.ErrCode == "M_UNKNOWN_TOKEN"
                ? $"the homeserver rejected the access token ({me.StatusCode} {me.ErrCode}: {me.Error}); set credentials.access_token to a valid token of the bot account"
                : $"GET /account/whoami failed ({me.StatusCode} {me.ErrCode}: {me.Error}); check config.homeserver_url";
            MatrixLog.ConnectFailed(_logger, error);
            if (_context.StatusSink is { } sink) await sink.ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException($"Matrix channel {_context.ChannelId}: {error}");
        }

        Volatile.Write(ref _userId, userId);
        if (Options.DisplayName is null)
        {
            var profile = await Api.GetDisplayNameAsync(userId, cancellationToken).ConfigureAwait(false);
            if (profile.Ok && !string.IsNullOrWhiteSpace(profile.Value?.DisplayName))
                Volatile.Write(ref _displayName, profile.Value.DisplayName);
        }

        MatrixLog.Connected(_logger, userId);
    }

    /// <inheritdoc />
    public ValueTask DisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Long-polls <c>/sync</c> until cancelled. Starts from the stored checkpoint (same homeserver and user); without one,
    /// an initial sync (timeout 0) only learns <c>next_batch</c> and its events are skipped, so history from before the
    /// bot started is never answered. After each sync the messages are accepted and only then is <c>next_batch</c>
    /// stored, so a restart neither loses nor (thanks to dedup on <c>event_id</c>) repeats messages. Invites are joined
    /// with <c>auto_join</c>. Errors back off 1 s doubling to 60 s; <c>M_LIMIT_EXCEEDED</c> waits <c>retry_after_ms</c>;
    /// <c>M_UNKNOWN_TOKEN</c> ends the listener with the channel in error.
    /// </summary>
    public async Task RunListenerAsync(IInboundSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        try
        {
            var userId = UserId ?? throw new InvalidOperationException("ConnectAsync has not succeeded yet");
            var since = await ReadCheckpointAsync(userId, cancellationToken).ConfigureAwait(false);
            MatrixLog.SyncStarted(_logger, since is null ? "initial sync, history skipped" : "from the stored since token");
            var failures = 0;
            var connected = false;
            while (!cancellationToken.IsCancellationRequested)
            {
                var initial = since is null;
                var result = await Api.SyncAsync(since, initial ? TimeSpan.Zero : Options.SyncTimeout, cancellationToken).ConfigureAwait(false);
                if (!result.Ok || result.Value?.NextBatch is null)
                {
                    failures++;
                    if (result.ErrCode == "M_UNKNOWN_TOKEN" || result.StatusCode == 401)
                    {
                        var fatal = $"the homeserver rejected the access token ({result.StatusCode} {result.ErrCode}: {result.Error}); sync stopped: set credentials.access_token";
                        MatrixLog.SyncStopped(_logger, fatal);
                        await ReportErrorAsync(fatal, cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    if (failures == 1)
                    {
                        connected = false;
                        await ReportErrorAsync($"sync failed ({result.StatusCode} {result.ErrCode}: {result.Error}); retrying", cancellationToken).ConfigureAwait(false);
                    }

                    var delay = result.RetryAfter is { } retryAfter && (result.StatusCode == 429 || result.ErrCode == "M_LIMIT_EXCEEDED") ? retryAfter : Backoff(failures);
                    MatrixLog.SyncRetry(_logger, result.StatusCode, result.ErrCode, result.Error, delay.TotalMilliseconds);
                    await Task.Delay(delay, _context.TimeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var sync = result.Value;
                foreach (var (roomId, room) in sync.Rooms?.Join ?? new Dictionary<string, MatrixJoinedRoom>())
                {
                    if (room.Summary?.JoinedMemberCount is { } count)
                        _memberCounts[roomId] = count;
                }

                if (!initial)
                {
                    var messages = await MapAsync(sync, userId, cancellationToken).ConfigureAwait(false);
                    if (messages.Count > 0)
                    {
                        try
                        {
                            await sink.AcceptAsync(messages, cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                        {
                            failures++;
                            MatrixLog.SinkFailed(_logger, ex);
                            await Task.Delay(Backoff(failures), _context.TimeProvider, cancellationToken).ConfigureAwait(false);
                            continue; // the same since: the homeserver gives the same events again
                        }
                    }
                }

                await JoinInvitesAsync(sync, cancellationToken).ConfigureAwait(false);
                since = sync.NextBatch!;
                await WriteCheckpointAsync(userId, since, cancellationToken).ConfigureAwait(false);
                failures = 0;
                if (!connected)
                {
                    connected = true;
                    if (_context.StatusSink is { } status) await status.ReportConnectedAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Sends the text as <c>m.text</c> events (see <see cref="MatrixMapper.PlanSend"/>) with the delivery's idempotency key
    /// as transaction id (<see cref="MatrixMapper.TransactionId"/>). Failures map as in
    /// <see cref="MatrixMapper.ToFailedSendResult{T}"/>.
    /// </summary>
    public async ValueTask<SendResult> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var contents = MatrixMapper.PlanSend(message, Options.MaxMessageLength);
        if (contents.Count == 0)
            return Failed(message, SendResult.Permanent("the message has no text; this Matrix channel sends text only"));
        string? lastId = null;
        for (var i = 0; i < contents.Count; i++)
        {
            var result = await Api.SendMessageAsync(message.ExternalChatId, MatrixMapper.TransactionId(message.IdempotencyKey, i), contents[i], cancellationToken).ConfigureAwait(false);
            if (!result.Ok)
                return Failed(message, MatrixMapper.ToFailedSendResult(result));
            lastId = result.Value?.EventId ?? lastId;
        }

        return SendResult.Delivered(lastId);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<List<InboundMessage>> MapAsync(MatrixSyncResponse sync, string userId, CancellationToken cancellationToken)
    {
        var messages = new List<InboundMessage>();
        foreach (var (roomId, room) in sync.Rooms?.Join ?? new Dictionary<string, MatrixJoinedRoom>())
        {
            if (room.Timeline?.Limited == true)
                MatrixLog.TimelineLimited(_logger, roomId);
            var events = room.Timeline?.Events ?? [];
            if (events.Count == 0) continue;
            var isGroup = await MemberCountAsync(roomId, cancellationToken).ConfigureAwait(false) > 2;
            foreach (var evt in events)
            {
                var message = MatrixMapper.TryMap(evt, roomId, userId, Volatile.Read(ref _displayName), isGroup, Options.AnswerAllGroupMessages, out var reason);
                if (message is null)
                    MatrixLog.EventIgnored(_logger, evt.EventId, reason!);
                else
                    messages.Add(message);
            }
        }

        return messages;
    }

    /// <summary>The room's joined members: from the sync summary when it said, else asked once (<c>joined_members</c>); 2 when unknown.</summary>
    private async ValueTask<int> MemberCountAsync(string roomId, CancellationToken cancellationToken)
    {
        if (_memberCounts.TryGetValue(roomId, out var count)) return count;
        var members = await Api.GetJoinedMembersAsync(roomId, cancellationToken).ConfigureAwait(false);
        if (!members.Ok || members.Value?.Joined is null) return 2;
        count = members.Value.Joined.Count;
        _memberCounts[roomId] = count;
        return count;
    }

    private async Task JoinInvitesAsync(MatrixSyncResponse sync, CancellationToken cancellationToken)
    {
        foreach (var roomId in sync.Rooms?.Invite?.Keys ?? [])
        {
            if (!Options.AutoJoin)
            {
                MatrixLog.Invite(_logger, roomId, "ignored (config.auto_join is off)");
                continue;
            }

            var joined = await Api.JoinAsync(roomId, cancellationToken).ConfigureAwait(false);
            MatrixLog.Invite(_logger, roomId, joined.Ok ? "accepted" : $"could not be accepted ({joined.StatusCode} {joined.ErrCode})");
        }
    }

    private async ValueTask<string?> ReadCheckpointAsync(string userId, CancellationToken cancellationToken)
    {
        if (_context.ListenerCheckpoint is not { } store) return null;
        var text = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (text is null) return null;
        try
        {
            var checkpoint = JsonSerializer.Deserialize(text, MatrixJsonContext.Default.MatrixCheckpoint);
            return checkpoint is not null && checkpoint.Homeserver == Api.BaseUrl && checkpoint.UserId == userId ? checkpoint.Since : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async ValueTask WriteCheckpointAsync(string userId, string since, CancellationToken cancellationToken)
    {
        if (_context.ListenerCheckpoint is not { } store) return;
        await store.WriteAsync(JsonSerializer.Serialize(new MatrixCheckpoint { Homeserver = Api.BaseUrl, UserId = userId, Since = since }, MatrixJsonContext.Default.MatrixCheckpoint), cancellationToken).ConfigureAwait(false);
    }

    private SendResult Failed(OutboundMessage message, SendResult result)
    {
        MatrixLog.SendFailed(_logger, message.DeliveryId, result.Outcome.ToString(), result.Error);
        return result;
    }

    private static TimeSpan Backoff(int failures)
    {
        var exponential = MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 10));
        return TimeSpan.FromMilliseconds(Math.Min(exponential, MaxBackoff.TotalMilliseconds) * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private async ValueTask ReportErrorAsync(string error, CancellationToken cancellationToken)
    {
        if (_context.StatusSink is { } sink) await sink.ReportErrorAsync(error, cancellationToken).ConfigureAwait(false);
    }
}
