using ClawScale.Kernel.Channels;
using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Pipeline.Dispatch;
using ClawScale.Plugins.Messages;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Pipeline.Accept;

/// <summary>One call of <see cref="IInboundAcceptor.AcceptAsync"/>: its messages are stored all or nothing.</summary>
/// <param name="Channel">The channel the messages came from.</param>
/// <param name="Messages">The messages, normalized.</param>
/// <param name="TraceParent">The W3C traceparent stored with its turns: the call's ACCEPT span, or the current activity when the
/// kernel's activity source is not listened to; null without either.</param>
internal sealed record AcceptCall(ChannelHandle Channel, IReadOnlyList<PreparedInbound> Messages, string? TraceParent = null);

/// <summary>An inbound message with its sender already normalized (IdentityNormalizer) and its payload serialized.</summary>
internal sealed record PreparedInbound(InboundMessage Message, string Provider, string IdentityType, string Value, string DisplayName, string PayloadJson);

/// <summary>
/// Writes a batch of ACCEPT calls in one transaction with set-based statements, whatever the number of messages:
/// one multi-row <c>INSERT … ON CONFLICT DO NOTHING RETURNING</c> each for inbound events (deduplication on
/// channel and provider message id), customers and external identities of first-time senders, delivery routes and
/// conversations (an upsert that also moves <c>last_message_at</c>), one query for the agent bindings, and one multi-row
/// insert each of messages and turns (per <see cref="SqlText.MaxRowsPerStatement"/> rows). About ten round trips per batch
/// instead of about ten per message. Works on SQLite and PostgreSQL (both support multi-row upserts with RETURNING).
/// </summary>
/// <remarks>
/// Concurrency: every statement lists its keys in a fixed (ordinal) order, so two instances writing overlapping batches
/// take row locks in the same order and do not deadlock; a lost race on a unique key (another transaction inserted the
/// same identity or route first) is resolved by reading the winner's row.
/// </remarks>
internal static class AcceptBatchWriter
{
    /// <summary>
    /// Writes <paramref name="calls"/>; returns per call, per message, the new turn id or null for a duplicate. With
    /// <paramref name="handOff"/>, the first new turn of each conversation with no unfinished turn is stored already
    /// claimed by this instance (running, attempt 1, with a lease) as far as DISPATCH has free slots, and handed off to it
    /// after the commit; the other turns are stored pending and DISPATCH is signalled to claim them.
    /// </summary>
    public static async Task<IReadOnlyList<string?[]>> WriteAsync(ClawScaleDbContext db, IReadOnlyList<AcceptCall> calls, TimeProvider time, TurnHandOff? handOff, CancellationToken ct)
    {
        var (results, pending) = await HandOffTransaction.RunAsync<TurnInput, (IReadOnlyList<string?[]>, bool)>(db, handOff?.Pool, async (reserve, c) =>
        {
            var written = await WriteInTransactionAsync(db, calls, time, handOff, reserve, c);
            return ((written.Results, written.Pending), written.Handed);
        }, ct);
        if (pending) handOff?.Signals.TurnsAvailable();
        return results;
    }

    private static async Task<(IReadOnlyList<string?[]> Results, List<TurnInput> Handed, bool Pending)> WriteInTransactionAsync(
        ClawScaleDbContext db, IReadOnlyList<AcceptCall> calls, TimeProvider time, TurnHandOff? handOff, Func<int, int> reserve, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var nowUtc = now.UtcDateTime;
        var entries = new List<Entry>();
        foreach (var (call, callIndex) in calls.Select((c, i) => (c, i)))
        {
            for (var i = 0; i < call.Messages.Count; i++)
            {
                // Ticks keep the arrival order of a batch in created_at (turns and history are ordered by it).
                var at = nowUtc.AddTicks(entries.Count);
                entries.Add(new Entry(callIndex, i, call.Channel, call.Messages[i], NewId(now), NewId(now), NewId(now), at, call.TraceParent));
            }
        }

        var results = calls.Select(c => new string?[c.Messages.Count]).ToList();
        if (entries.Count == 0) return (results, [], false);

        // 1. Inbound events: the deduplication point. Turn ids are known up front (no foreign key on turn_id).
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in entries.Chunk(SqlText.MaxRowsPerStatement))
        {
            var events = new SqlText().Raw("INSERT INTO inbound_events (id, tenant_id, channel_id, provider_message_id, turn_id, payload_json, received_at) VALUES ")
                .Rows(chunk, e => [e.EventId, e.Channel.TenantId, e.Channel.ChannelId, e.Prepared.Message.ProviderMessageId, e.TurnId, e.Prepared.PayloadJson, e.At])
                .Raw(" ON CONFLICT (channel_id, provider_message_id) DO NOTHING RETURNING id");
            inserted.UnionWith(await events.QueryStringsAsync(db, ct));
        }

        var fresh = entries.Where(e => inserted.Contains(e.EventId)).ToList();
        if (fresh.Count == 0) return (results, [], false);

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var customers = await ResolveCustomersAsync(db, fresh, names, nowUtc, now, ct);
        var routes = await ResolveRoutesAsync(db, fresh, customers, nowUtc, now, ct);
        var conversations = await UpsertConversationsAsync(db, fresh, customers, routes, nowUtc, now, ct);
        var bindings = await LoadBindingsAsync(db, fresh, customers, ct);

        foreach (var e in fresh)
        {
            var customerId = customers[e.IdentityKey];
            var (conversation, created) = conversations[(e.Channel.ChannelId, e.Prepared.Message.ExternalChatId, e.Thread, customerId)];
            e.Conversation = conversation;
            e.NewConversation = created;
            e.ConversationId = conversation.Id;
            e.CustomerName = names.GetValueOrDefault(customerId);
            var routeId = routes[(e.Channel.ChannelId, e.Prepared.Message.ExternalChatId, e.Thread)];
            // Replies go to the conversation's route; known here when it is the chat's implicit route (the usual case).
            e.Route = conversation.DeliveryRouteId == routeId ? new RouteAddress(routeId, e.Channel.ChannelId, e.Prepared.Message.ExternalChatId, e.Thread) : null;
            e.AgentId = ResolveAgent(bindings, e.Channel, customerId);
            results[e.CallIndex][e.MessageIndex] = e.TurnId;
        }

        var handed = await ClaimHeadsAsync(db, fresh, bindings, nowUtc, handOff, reserve, ct);


        // Messages and turns as multi-row INSERTs, chunked by SqlText.MaxRowsPerStatement whatever
        // Pipeline:AcceptBatchSize is: EF Core's SaveChanges sends one INSERT per row, each parsed, planned and executed
        // by the database (issue 15's profile).
        foreach (var chunk in fresh.Chunk(SqlText.MaxRowsPerStatement))
        {
            await new SqlText()
                .Raw("INSERT INTO messages (id, tenant_id, conversation_id, role, text, attachments_json, provider_message_id, turn_id, created_at) VALUES ")
                .Rows(chunk, e => [e.MessageId, e.Channel.TenantId, e.ConversationId, (int)MessageRoleValue.User, e.Text, e.AttachmentsJson, e.ProviderMessageId, e.TurnId, e.At])
                .ExecuteAsync(db, ct);
            await new SqlText()
                .Raw("INSERT INTO turns (id, tenant_id, conversation_id, agent_id, inbound_event_id, message_id, status, attempts, next_attempt_at, last_error, created_at, updated_at, trace_parent, claimed_by, claimed_until) VALUES ")
                .Rows(chunk, e => [e.TurnId, e.Channel.TenantId, e.ConversationId, e.AgentId, e.EventId, e.MessageId,
                    (int)(e.Claimed ? TurnStatusValue.Running : TurnStatusValue.Pending), e.Claimed ? 1 : 0, e.At, string.Empty, e.At, e.At, e.TraceParent,
                    e.Claimed ? handOff!.Instance : null, e.Claimed ? nowUtc + handOff!.Lease : null])
                .ExecuteAsync(db, ct);
        }

        // The event is not updated with its conversation (that was a second write of every event row): readers find the
        // conversation through the event's turn (turn_id is stored with the event; the turn holds conversation_id).
        return (results, handed, fresh.Any(e => !e.Claimed));
    }

    /// <summary>
    /// Marks the turns stored already claimed (<see cref="Entry.Claimed"/>): the first new turn of each conversation that
    /// has no unfinished turn, as far as DISPATCH has free slots, except turns of connected-runtime agents that have no
    /// session here (those wait for an instance that serves them, see <see cref="TurnClaimer"/>). The conversation rows
    /// are locked by the upsert before this check, so a concurrent ACCEPT of the same conversation on another instance
    /// waits for this commit and then sees these turns (on SQLite the write gate serializes writers).
    /// </summary>
    private static async Task<List<TurnInput>> ClaimHeadsAsync(
        ClawScaleDbContext db, List<Entry> fresh, List<BindingRow> bindings, DateTime nowUtc, TurnHandOff? handOff, Func<int, int> reserve, CancellationToken ct)
    {
        if (handOff is null || !handOff.Pool.Running) return [];
        // Only conversations that existed before this batch can have unfinished turns. One index probe each (EXISTS per
        // value): an IN list let PostgreSQL scan the table when it had no statistics yet.
        var busy = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in fresh.Where(e => !e.NewConversation).Select(e => e.ConversationId!).Distinct(StringComparer.Ordinal).Chunk(SqlText.MaxRowsPerStatement))
        {
            var sql = new SqlText().Raw("WITH v(id) AS (VALUES ").Rows(chunk, id => [id])
                .Raw($") SELECT v.id FROM v WHERE EXISTS (SELECT 1 FROM turns t WHERE t.conversation_id = v.id AND t.status IN ({TurnClaimer.Unfinished}))");
            busy.UnionWith(await sql.QueryStringsAsync(db, ct));
        }

        var external = bindings.Where(b => Plugins.PluginKindValidator.ConnectedRuntimeAgentKinds.Contains(b.AgentKind)).Select(b => b.Binding.AgentId).ToHashSet(StringComparer.Ordinal);
        // The connected sessions are asked only when a connected-runtime agent is bound (not on every batch).
        var served = external.Count == 0 ? (IReadOnlySet<string>)external : handOff.ServedRuntimeAgents();
        // Every new turn makes its conversation busy for the turns after it in this batch.
        // A conversation whose replies go to another route than the chat's implicit one is left to DISPATCH's claim.
        var heads = fresh.Where(e => busy.Add(e.ConversationId!) && e.Route is not null
            && (e.AgentId is null || !external.Contains(e.AgentId) || served.Contains(e.AgentId))).ToList();
        var granted = reserve(heads.Count);
        var agents = bindings.GroupBy(b => b.Binding.AgentId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var leaseUntil = nowUtc + handOff.Lease;
        var inputs = new List<TurnInput>(granted);
        foreach (var e in heads.Take(granted))
        {
            e.Claimed = true;
            var agent = e.AgentId is null ? null : agents.GetValueOrDefault(e.AgentId);
            var turn = new TurnEntity
            {
                Id = e.TurnId, TenantId = e.Channel.TenantId, ConversationId = e.ConversationId!, AgentId = e.AgentId, InboundEventId = e.EventId,
                MessageId = e.MessageId, Status = TurnStatusValue.Running, Attempts = 1, NextAttemptAt = e.At, ClaimedBy = handOff.Instance,
                ClaimedUntil = leaseUntil, CreatedAt = e.At, UpdatedAt = e.At, TraceParent = e.TraceParent,
            };
            var message = new MessageEntity
            {
                Id = e.MessageId, TenantId = e.Channel.TenantId, ConversationId = e.ConversationId!, Role = MessageRoleValue.User, Text = e.Text,
                AttachmentsJson = e.AttachmentsJson, ProviderMessageId = e.ProviderMessageId, TurnId = e.TurnId, CreatedAt = e.At,
            };
            inputs.Add(new TurnInput(turn, e.Conversation!, message, e.Prepared.PayloadJson, agent?.AgentKind, agent?.AgentVersion, e.Channel.Kind,
                string.IsNullOrEmpty(e.CustomerName) ? null : e.CustomerName, e.Route)
            {
                // A conversation created by this batch has no history; an older one's is loaded by DISPATCH for the batch.
                History = e.NewConversation ? [] : null,
            });
        }

        return inputs;
    }

    /// <summary>Customer id per identity: existing identities are read; first-time senders get a customer and identity.</summary>
    private static async Task<Dictionary<IdentityKey, string>> ResolveCustomersAsync(
        ClawScaleDbContext db, List<Entry> fresh, Dictionary<string, string> customerNames, DateTime nowUtc, DateTimeOffset now, CancellationToken ct)
    {
        var keys = fresh.Select(e => e.IdentityKey).Distinct().OrderBy(k => k.ToString(), StringComparer.Ordinal).ToList();
        var found = await FindIdentitiesAsync(db, keys, customerNames, ct);
        var missing = keys.Where(k => !found.ContainsKey(k)).ToList();
        if (missing.Count == 0) return found;

        var names = fresh.GroupBy(e => e.IdentityKey).ToDictionary(g => g.Key, g => g.First().Prepared.DisplayName);
        var created = missing.Select(k => (Key: k, CustomerId: NewId(now), IdentityId: NewId(now))).ToList();
        var insertCustomers = new SqlText().Raw("INSERT INTO customers (id, tenant_id, display_name, created_at, updated_at) VALUES ")
            .Rows(created, x => [x.CustomerId, x.Key.TenantId, names[x.Key], nowUtc, nowUtc]);
        await insertCustomers.ExecuteAsync(db, ct);
        var insertIdentities = new SqlText().Raw("INSERT INTO external_identities (id, tenant_id, customer_id, provider, identity_type, value, created_at) VALUES ")
            .Rows(created, x => [x.IdentityId, x.Key.TenantId, x.CustomerId, x.Key.Provider, x.Key.IdentityType, x.Key.Value, nowUtc])
            .Raw(" ON CONFLICT (tenant_id, provider, identity_type, value) DO NOTHING RETURNING customer_id");
        var won = (await insertIdentities.QueryStringsAsync(db, ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var x in created.Where(x => won.Contains(x.CustomerId)))
        {
            found[x.Key] = x.CustomerId;
            customerNames[x.CustomerId] = names[x.Key];
        }

        var lost = created.Where(x => !won.Contains(x.CustomerId)).ToList();
        if (lost.Count > 0)
        {
            // Another transaction provisioned these identities first: drop our customers and use theirs.
            var delete = new SqlText().Raw("DELETE FROM customers WHERE id IN (").List(lost.Select(x => x.CustomerId)).Raw(")");
            await delete.ExecuteAsync(db, ct);
            foreach (var (key, customerId) in await FindIdentitiesAsync(db, lost.ConvertAll(x => x.Key), customerNames, ct)) found[key] = customerId;
            if (lost.Any(x => !found.ContainsKey(x.Key)))
                throw new InvalidOperationException("An external identity vanished while being provisioned; the call is retried.");
        }

        return found;
    }

    /// <summary>
    /// The customers of the identities that exist. One probe of the unique index per key (a scalar subquery per row of a
    /// <c>VALUES</c> list): an <c>IN</c> list was planned as a scan of the whole table while PostgreSQL had no statistics
    /// yet (60–100 ms per batch in the benchmark).
    /// </summary>
    private static async Task<Dictionary<IdentityKey, string>> FindIdentitiesAsync(ClawScaleDbContext db, IReadOnlyList<IdentityKey> keys, Dictionary<string, string> customerNames, CancellationToken ct)
    {
        var found = new Dictionary<IdentityKey, string>();
        foreach (var chunk in keys.Chunk(SqlText.MaxRowsPerStatement))
        {
            var sql = new SqlText().Raw("WITH v(t, p, k, val) AS (VALUES ").Rows(chunk, k => [k.TenantId, k.Provider, k.IdentityType, k.Value])
                .Raw("), x AS (SELECT v.t, v.p, v.k, v.val, (SELECT i.customer_id FROM external_identities i")
                .Raw(" WHERE i.tenant_id = v.t AND i.provider = v.p AND i.identity_type = v.k AND i.value = v.val) AS customer_id FROM v)")
                .Raw(" SELECT x.t, x.p, x.k, x.val, x.customer_id, (SELECT c.display_name FROM customers c WHERE c.id = x.customer_id) FROM x WHERE x.customer_id IS NOT NULL");
            var rows = await sql.QueryAsync(db, r => new IdentityRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? string.Empty : r.GetString(5)), ct);
            foreach (var r in rows)
            {
                customerNames[r.CustomerId] = r.DisplayName;
                found[new IdentityKey(r.TenantId, r.Provider, r.IdentityType, r.Value)] = r.CustomerId;
            }
        }

        return found;
    }

    /// <summary>The implicit delivery route (no conversation key) per (channel, chat, thread); created when missing.</summary>
    private static async Task<Dictionary<(string, string, string), string>> ResolveRoutesAsync(
        ClawScaleDbContext db, List<Entry> fresh, Dictionary<IdentityKey, string> customers, DateTime nowUtc, DateTimeOffset now, CancellationToken ct)
    {
        var keys = fresh.Select(e => (e.Channel.ChannelId, Chat: e.Prepared.Message.ExternalChatId, e.Thread)).Distinct()
            .OrderBy(k => k.ChannelId, StringComparer.Ordinal).ThenBy(k => k.Chat, StringComparer.Ordinal).ThenBy(k => k.Thread, StringComparer.Ordinal).ToList();
        var found = await FindRoutesAsync(db, keys, ct);
        var missing = keys.Where(k => !found.ContainsKey(k)).ToList();
        if (missing.Count == 0) return found;

        var firstEntry = fresh.GroupBy(e => (e.Channel.ChannelId, e.Prepared.Message.ExternalChatId, e.Thread)).ToDictionary(g => g.Key, g => g.First());
        var insert = new SqlText().Raw("INSERT INTO delivery_routes (id, tenant_id, channel_id, external_chat_id, external_thread_id, customer_id, created_at) VALUES ")
            .Rows(missing, k => [NewId(now), firstEntry[k].Channel.TenantId, k.ChannelId, k.Chat, k.Thread, customers[firstEntry[k].IdentityKey], nowUtc])
            .Raw(" ON CONFLICT (channel_id, external_chat_id, external_thread_id) WHERE conversation_key IS NULL DO NOTHING")
            .Raw(" RETURNING id, channel_id, external_chat_id, external_thread_id");
        foreach (var row in await insert.QueryAsync(db, r => new RouteRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)), ct))
            found[(row.ChannelId, row.Chat, row.Thread)] = row.Id;

        var raced = missing.Where(k => !found.ContainsKey(k)).ToList();
        if (raced.Count > 0)
        {
            foreach (var (key, id) in await FindRoutesAsync(db, raced, ct)) found[key] = id;
            if (raced.Any(k => !found.ContainsKey(k)))
                throw new InvalidOperationException("A delivery route vanished while being created; the call is retried.");
        }

        return found;
    }

    /// <summary>The implicit routes that exist; one probe of the partial unique index per key (see <see cref="FindIdentitiesAsync"/>).</summary>
    private static async Task<Dictionary<(string, string, string), string>> FindRoutesAsync(ClawScaleDbContext db, IReadOnlyList<(string ChannelId, string Chat, string Thread)> keys, CancellationToken ct)
    {
        var found = new Dictionary<(string, string, string), string>();
        foreach (var chunk in keys.Chunk(SqlText.MaxRowsPerStatement))
        {
            var sql = new SqlText().Raw("WITH v(c, chat, th) AS (VALUES ").Rows(chunk, k => [k.ChannelId, k.Chat, k.Thread])
                .Raw("), x AS (SELECT v.c, v.chat, v.th, (SELECT r.id FROM delivery_routes r WHERE r.channel_id = v.c AND r.external_chat_id = v.chat")
                .Raw(" AND r.external_thread_id = v.th AND r.conversation_key IS NULL) AS id FROM v) SELECT x.id, x.c, x.chat, x.th FROM x WHERE x.id IS NOT NULL");
            foreach (var row in await sql.QueryAsync(db, r => new RouteRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)), ct))
                found[(row.ChannelId, row.Chat, row.Thread)] = row.Id;
        }

        return found;
    }

    /// <summary>
    /// One upsert for all conversations of the batch: created when new, <c>last_message_at</c> moved otherwise (which also
    /// locks the row until the commit). Returns each conversation and whether this batch created it.
    /// </summary>
    private static async Task<Dictionary<(string, string, string, string), (ConversationEntity Conversation, bool Created)>> UpsertConversationsAsync(
        ClawScaleDbContext db, List<Entry> fresh, Dictionary<IdentityKey, string> customers, Dictionary<(string, string, string), string> routes,
        DateTime nowUtc, DateTimeOffset now, CancellationToken ct)
    {
        // One row per key: PostgreSQL refuses an ON CONFLICT DO UPDATE that touches a row twice in one statement.
        var rows = fresh
            .Select(e => (e.Channel, Chat: e.Prepared.Message.ExternalChatId, e.Thread, CustomerId: customers[e.IdentityKey]))
            .DistinctBy(x => (x.Channel.ChannelId, x.Chat, x.Thread, x.CustomerId))
            .OrderBy(x => x.Channel.ChannelId, StringComparer.Ordinal).ThenBy(x => x.Chat, StringComparer.Ordinal)
            .ThenBy(x => x.Thread, StringComparer.Ordinal).ThenBy(x => x.CustomerId, StringComparer.Ordinal)
            .Select(x => (x.Channel, x.Chat, x.Thread, x.CustomerId, Id: NewId(now)))
            .ToList();
        var proposed = rows.Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
        var sql = new SqlText().Raw("INSERT INTO conversations (id, tenant_id, channel_id, customer_id, external_chat_id, external_thread_id, delivery_route_id, created_at, last_message_at) VALUES ")
            .Rows(rows, x => [x.Id, x.Channel.TenantId, x.Channel.ChannelId, x.CustomerId, x.Chat, x.Thread, routes[(x.Channel.ChannelId, x.Chat, x.Thread)], nowUtc, nowUtc])
            .Raw(" ON CONFLICT (channel_id, external_chat_id, external_thread_id, customer_id) DO UPDATE SET last_message_at = excluded.last_message_at")
            .Raw(" RETURNING id, tenant_id, channel_id, customer_id, external_chat_id, external_thread_id, delivery_route_id, memory_reset_at, created_at, last_message_at");
        var result = await sql.QueryAsync(db, r => new ConversationEntity
        {
            Id = r.GetString(0),
            TenantId = r.GetString(1),
            ChannelId = r.GetString(2),
            CustomerId = r.GetString(3),
            ExternalChatId = r.GetString(4),
            ExternalThreadId = r.GetString(5),
            DeliveryRouteId = r.GetString(6),
            MemoryResetAt = r.IsDBNull(7) ? null : DateTime.SpecifyKind(r.GetDateTime(7), DateTimeKind.Utc),
            CreatedAt = DateTime.SpecifyKind(r.GetDateTime(8), DateTimeKind.Utc),
            LastMessageAt = DateTime.SpecifyKind(r.GetDateTime(9), DateTimeKind.Utc),
        }, ct);
        return result.ToDictionary(c => (c.ChannelId, c.ExternalChatId, c.ExternalThreadId, c.CustomerId), c => (c, proposed.Contains(c.Id)));
    }

    private static async Task<List<BindingRow>> LoadBindingsAsync(ClawScaleDbContext db, List<Entry> fresh, Dictionary<IdentityKey, string> customers, CancellationToken ct)
    {
        var tenants = fresh.Select(e => e.Channel.TenantId).Distinct().ToList();
        var customerIds = fresh.Select(e => customers[e.IdentityKey]).Distinct().ToList();
        return await (
            from b in db.AgentBindings.AsNoTracking()
            where tenants.Contains(b.TenantId) && (b.CustomerId == null || customerIds.Contains(b.CustomerId))
            join a in db.Agents on b.AgentId equals a.Id into agents
            from a in agents.DefaultIfEmpty()
            select new BindingRow(b, a == null ? string.Empty : a.Kind, a == null ? null : (DateTime?)a.UpdatedAt))
            .ToListAsync(ct);
    }

    /// <summary>
    /// The most specific binding: (customer, channel), customer, channel, tenant default; the oldest on a tie (then the
    /// lowest id). Runtime keys are scoped by the same rule (<see cref="Security.RuntimeScope"/>): keep them in step.
    /// </summary>
    private static string? ResolveAgent(List<BindingRow> bindings, ChannelHandle channel, string customerId) =>
        bindings.Select(r => r.Binding)
            .Where(b => b.TenantId == channel.TenantId && (b.CustomerId == null || b.CustomerId == customerId) && (b.ChannelId == null || b.ChannelId == channel.ChannelId))
            .OrderByDescending(b => (b.CustomerId is null ? 0 : 2) + (b.ChannelId is null ? 0 : 1))
            .ThenBy(b => b.CreatedAt)
            .ThenBy(b => b.Id, StringComparer.Ordinal)
            .Select(b => b.AgentId)
            .FirstOrDefault();

    private static string NewId(DateTimeOffset now) => Guid.CreateVersion7(now).ToString();

    private sealed record IdentityKey(string TenantId, string Provider, string IdentityType, string Value);

    private sealed class Entry(int callIndex, int messageIndex, ChannelHandle channel, PreparedInbound prepared, string eventId, string turnId, string messageId, DateTime at, string? traceParent)
    {
        public string? TraceParent { get; } = traceParent;
        public int CallIndex { get; } = callIndex;
        public int MessageIndex { get; } = messageIndex;
        public ChannelHandle Channel { get; } = channel;
        public PreparedInbound Prepared { get; } = prepared;
        public string EventId { get; } = eventId;
        public string TurnId { get; } = turnId;
        public string MessageId { get; } = messageId;
        public DateTime At { get; } = at;
        public string Thread { get; } = prepared.Message.ExternalThreadId ?? string.Empty;
        public IdentityKey IdentityKey { get; } = new(channel.TenantId, prepared.Provider, prepared.IdentityType, prepared.Value);
        public string? ConversationId { get; set; }
        public string? AgentId { get; set; }

        /// <summary>Stored already claimed by this instance and handed off to DISPATCH.</summary>
        public bool Claimed { get; set; }

        public string Text { get; } = prepared.Message.Text ?? string.Empty;
        public string AttachmentsJson { get; } = AttachmentJson.Write(prepared.Message.Attachments);
        public string ProviderMessageId { get; } = prepared.Message.PlatformMessageId ?? prepared.Message.ProviderMessageId;
        public ConversationEntity? Conversation { get; set; }
        public bool NewConversation { get; set; }
        public string? CustomerName { get; set; }
        public RouteAddress? Route { get; set; }
    }

    private sealed record BindingRow(AgentBindingEntity Binding, string AgentKind, DateTime? AgentVersion);

    private sealed record IdentityRow(string TenantId, string Provider, string IdentityType, string Value, string CustomerId, string DisplayName);

    private sealed record RouteRow(string Id, string ChannelId, string Chat, string Thread);

    private sealed record ConversationRow(string Id, string ChannelId, string Chat, string Thread, string CustomerId);
}
