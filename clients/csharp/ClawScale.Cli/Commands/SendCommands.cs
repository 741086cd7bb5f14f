using System.CommandLine;
using System.Diagnostics;
using ClawScale.Cli.Output;
using ClawScale.Client;
using ClawScale.Protos.V1;

namespace ClawScale.Cli.Commands;

/// <summary>
/// <c>send test</c>: proves the whole path of a channel — injects an inbound message (<c>RoutingService.RouteInbound</c>),
/// then follows its turn (<c>AdminService.ListTurns</c>) and the turn's replies (<c>DeliveryService.ListDeliveries</c>)
/// until they are delivered, dead or the timeout passes. <c>send message</c>: a proactive message to a conversation
/// (<c>DeliveryService.Deliver</c>), optionally followed until delivered.
/// </summary>
public static class SendCommands
{
    /// <summary>The default text of <c>send test</c>.</summary>
    public const string DefaultTestText = "ClawScale test message (clawscale send test)";

    /// <summary>The default sender id of <c>send test</c>: the external user the test message comes from.</summary>
    public const string DefaultTestSender = "clawscale-cli-test";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Builds the <c>send</c> command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var send = new Command("send", "Send messages that prove a channel's path end to end.");
        send.Subcommands.Add(CreateTest(context));
        send.Subcommands.Add(CreateMessage(context));
        return send;
    }

    private static Command CreateTest(CliContext context)
    {
        var channel = Options.Text("--channel", "The channel the message is attributed to.", required: true);
        var chat = Options.Text("--chat", "The platform's chat id to answer in (for example a Telegram chat id).", required: true);
        var thread = Options.Text("--thread", "The platform's thread id, if any.");
        var sender = Options.Text("--sender", $"The external user id of the sender (identity type user_id). Default {DefaultTestSender}.");
        var text = Options.Text("--text", $"The message text. Default \"{DefaultTestText}\".");
        var noWait = new Option<bool>("--no-wait") { Description = "Only inject the message; do not wait for the turn and its replies." };
        var timeout = Timeout();
        var test = new Command("test", "Inject an inbound message as if the channel received it (RouteInbound), then wait for the agent's reply to be delivered. "
            + "Exit 0 when the turn completed and every reply was delivered.")
        { channel, chat, thread, sender, text, noWait, timeout };
        test.SetAction((parsed, cancellationToken) => context.RunAsync(parsed, async client =>
        {
            var target = (await client.Admin.GetChannelAsync(new GetChannelRequest { ChannelId = parsed.GetValue(channel)! }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false)).Channel;
            var accepted = await client.Routing.RouteInboundAsync(new RouteInboundRequest
            {
                TenantId = target.TenantId,
                ChannelId = target.Id,
                ExternalChatId = parsed.GetValue(chat)!,
                ExternalThreadId = parsed.GetValue(thread) ?? string.Empty,
                ProviderMessageId = "clawscale-cli-" + Guid.NewGuid().ToString("N"),
                Sender = new ExternalIdentityKey { Provider = target.Kind, IdentityType = "user_id", Value = parsed.GetValue(sender) ?? DefaultTestSender },
                SenderDisplayName = "ClawScale CLI test",
                Text = parsed.GetValue(text) ?? DefaultTestText,
            }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            var json = context.IsJson(parsed);
            if (!json)
                context.Stdout.WriteLine($"Accepted: conversation {accepted.ConversationId}, turn {accepted.TurnId}, customer {accepted.CustomerId}.");
            if (parsed.GetValue(noWait))
            {
                if (json) await context.Stdout.WriteLineAsync(Render.ToJson(accepted)).ConfigureAwait(false);
                return CliApp.Success;
            }

            var until = Stopwatch.StartNew();
            var limit = TimeSpan.FromSeconds(parsed.GetValue(timeout));
            var turn = await WaitForTurnAsync(client, target.TenantId, accepted, until, limit, cancellationToken).ConfigureAwait(false);
            var replies = turn is { Status: TurnStatus.Completed or TurnStatus.Failed }
                ? await WaitForRepliesAsync(client, target.TenantId, accepted, until, limit, cancellationToken).ConfigureAwait(false)
                : [];
            var ok = turn is { Status: TurnStatus.Completed } && replies.All(d => d.Status == DeliveryStatus.Delivered);
            if (json)
            {
                var result = new System.Text.StringBuilder();
                result.Append("{\n\"accepted\": ").Append(Render.ToJson(accepted));
                result.Append(",\n\"turn\": ").Append(turn is null ? "null" : Render.ToJson(turn));
                result.Append(",\n\"replies\": [").AppendJoin(", ", replies.Select(Render.ToJson)).Append(']');
                result.Append(",\n\"ok\": ").Append(ok ? "true" : "false").Append("\n}");
                await context.Stdout.WriteLineAsync(result.ToString()).ConfigureAwait(false);
            }
            else
            {
                WriteOutcome(context.Stdout, turn, replies, limit);
            }

            return ok ? CliApp.Success : CliApp.RpcFailure;
        }));
        return test;
    }

    private static Command CreateMessage(CliContext context)
    {
        var tenant = Options.Tenant();
        var conversation = Options.Text("--conversation", "The conversation to send to (its delivery route).", required: true);
        var text = Options.Text("--text", "The message text.", required: true);
        var key = Options.Text("--idempotency-key", "1 to 200 characters, unique per tenant; repeating a key with the same text returns the first delivery. Default: a new random key.");
        var wait = new Option<bool>("--wait") { Description = "Wait until the delivery is delivered or dead." };
        var timeout = Timeout();
        var message = new Command("message", "Send a proactive message to a conversation (DeliveryService.Deliver).") { tenant, conversation, text, key, wait, timeout };
        message.SetAction((parsed, cancellationToken) => context.RunAsync(parsed, async client =>
        {
            var response = await client.Delivery.DeliverAsync(new DeliverRequest
            {
                TenantId = parsed.GetValue(tenant) ?? string.Empty,
                IdempotencyKey = parsed.GetValue(key) ?? "clawscale-cli-" + Guid.NewGuid().ToString("N"),
                ConversationId = parsed.GetValue(conversation)!,
                Text = parsed.GetValue(text)!,
            }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            var delivery = response.Delivery;
            if (parsed.GetValue(wait))
            {
                var until = Stopwatch.StartNew();
                var limit = TimeSpan.FromSeconds(parsed.GetValue(timeout));
                while (!IsSettled(delivery) && until.Elapsed < limit)
                {
                    await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
                    delivery = (await client.Delivery.GetDeliveryAsync(new GetDeliveryRequest { DeliveryId = delivery.Id }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false)).Delivery;
                }
            }

            if (context.IsJson(parsed)) await context.Stdout.WriteLineAsync(Render.ToJson(new DeliverResponse { Delivery = delivery, Replayed = response.Replayed })).ConfigureAwait(false);
            else
            {
                context.Stdout.WriteLine(response.Replayed ? "Replayed (this key was used before with the same text):" : "Queued:");
                context.Stdout.WriteLine(WatchCommands.Line(delivery));
            }

            return !parsed.GetValue(wait) || delivery.Status == DeliveryStatus.Delivered ? CliApp.Success : CliApp.RpcFailure;
        }));
        return message;
    }

    private static Option<int> Timeout()
    {
        var option = new Option<int>("--timeout") { Description = "Seconds to wait. Default 30.", DefaultValueFactory = _ => 30 };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 3600) r.AddError("--timeout must be between 1 and 3600 seconds.");
        });
        return option;
    }

    private static bool IsSettled(Delivery d) => d.Status is DeliveryStatus.Delivered or DeliveryStatus.Dead;

    /// <summary>Polls the conversation's turns until the injected turn has completed or failed, or the time is up.</summary>
    private static async Task<Turn?> WaitForTurnAsync(ClawScaleClient client, string tenantId, RouteInboundResponse accepted, Stopwatch since, TimeSpan limit, CancellationToken cancellationToken)
    {
        Turn? turn = null;
        while (true)
        {
            var turns = await client.Admin.ListTurnsAsync(new ListTurnsRequest { TenantId = tenantId, ConversationId = accepted.ConversationId, PageSize = 50 }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            turn = turns.Turns.FirstOrDefault(t => t.Id == accepted.TurnId) ?? turn;
            if (turn is { Status: TurnStatus.Completed or TurnStatus.Failed } || since.Elapsed >= limit) return turn;
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Polls the conversation's deliveries for the turn's replies (the kernel keys them <c>turn:{turn id}:…</c>) until
    /// every one is delivered or dead, or the time is up. A completed turn with no reply at all returns an empty list once
    /// nothing has appeared for a second.
    /// </summary>
    private static async Task<List<Delivery>> WaitForRepliesAsync(ClawScaleClient client, string tenantId, RouteInboundResponse accepted, Stopwatch since, TimeSpan limit, CancellationToken cancellationToken)
    {
        var prefix = $"turn:{accepted.TurnId}:";
        var quietSince = Stopwatch.StartNew();
        while (true)
        {
            var listed = await client.Delivery.ListDeliveriesAsync(new ListDeliveriesRequest { TenantId = tenantId, ConversationId = accepted.ConversationId, PageSize = 100 }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            var replies = listed.Deliveries.Where(d => d.IdempotencyKey.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(d => d.IdempotencyKey, StringComparer.Ordinal).ToList();
            if (replies.Count > 0 && replies.All(IsSettled)) return replies;
            if (replies.Count == 0 && quietSince.Elapsed >= TimeSpan.FromSeconds(1)) return replies;
            if (since.Elapsed >= limit) return replies;
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void WriteOutcome(TextWriter w, Turn? turn, List<Delivery> replies, TimeSpan limit)
    {
        if (turn is null)
        {
            w.WriteLine($"Turn: not visible within {limit.TotalSeconds:0} s (is the dispatcher running?).");
            return;
        }

        w.WriteLine($"Turn: {Render.Enum(turn.Status)}{(turn.AgentId.Length > 0 ? " (agent " + turn.AgentId + ")" : " (no agent bound)")}{(turn.LastError.Length > 0 ? ": " + turn.LastError : string.Empty)}");
        if (turn.Status is not (TurnStatus.Completed or TurnStatus.Failed))
        {
            w.WriteLine($"Gave up after {limit.TotalSeconds:0} s; follow it with: clawscale turns list --conversation {turn.ConversationId}");
            return;
        }

        if (replies.Count == 0) w.WriteLine("Replies: none.");
        foreach (var d in replies) w.WriteLine("Reply: " + WatchCommands.Line(d));
        if (turn.Status == TurnStatus.Failed)
            w.WriteLine("FAILED: the agent failed (the user got an apology); see the error above and clawscale turns list --status failed.");
        else if (replies.Any(d => d.Status == DeliveryStatus.Dead))
            w.WriteLine("FAILED: a reply is a dead letter; see its error above, fix the channel, then clawscale deliveries retry <id>.");
        else if (replies.Any(d => !IsSettled(d)))
            w.WriteLine($"FAILED: a reply was not delivered within {limit.TotalSeconds:0} s; follow it with: clawscale watch deliveries --delivery <id>.");
        else if (replies.Count == 0)
            w.WriteLine("OK: the message went through the channel and the agent completed the turn without a reply.");
        else
            w.WriteLine("OK: the message went through the channel, the agent answered and the reply was delivered.");
    }
}
