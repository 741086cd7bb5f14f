using System.CommandLine;
using ClawScale.Cli.Output;
using ClawScale.Protos.V1;

namespace ClawScale.Cli.Commands;

/// <summary>
/// <c>conversations list|show|messages</c> (RoutingService): a tenant's conversations, optionally of one customer or
/// channel, and the stored messages of one conversation, oldest first.
/// </summary>
public static class ConversationCommands
{
    /// <summary>Builds the <c>conversations</c> command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var conversations = new Command("conversations", "Conversations and their messages (RoutingService).");

        var tenant = Options.Tenant();
        var customer = Options.Text("--customer", "Only conversations of this customer.");
        var channel = Options.Text("--channel", "Only conversations on this channel.");
        var (size, token) = Options.Paging();
        var list = new Command("list", "List conversations.") { tenant, customer, channel, size, token };
        context.Handle(list, (p, c, ct) => c.Routing.ListConversationsAsync(new ListConversationsRequest
        {
            TenantId = p.GetValue(tenant) ?? string.Empty, CustomerId = p.GetValue(customer) ?? string.Empty,
            ChannelId = p.GetValue(channel) ?? string.Empty, PageSize = p.GetValue(size), PageToken = p.GetValue(token) ?? string.Empty,
        }, cancellationToken: ct).ResponseAsync, (r, w) =>
        {
            Print(r.Conversations, w);
            Paging.WriteNext(w, r.NextPageToken);
        });

        var showId = Options.Id("conversation-id", "The conversation id.");
        var showSize = new Option<int>("--page-size") { Description = "Messages to show (kernel default 50, max 500)." };
        var show = new Command("show", "Show a conversation and its first page of messages.") { showId, showSize };
        show.SetAction((parsed, cancellationToken) => context.RunAsync(parsed, async client =>
        {
            var id = parsed.GetValue(showId)!;
            var conversation = (await client.Routing.GetConversationAsync(new GetConversationRequest { ConversationId = id }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false)).Conversation;
            var messages = await client.Routing.ListMessagesAsync(new ListMessagesRequest { ConversationId = id, PageSize = parsed.GetValue(showSize) }, cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            if (context.IsJson(parsed))
            {
                await context.Stdout.WriteLineAsync($"{{\n\"conversation\": {Render.ToJson(conversation)},\n\"messages\": {Render.ToJson(messages)}\n}}").ConfigureAwait(false);
                return CliApp.Success;
            }

            var w = context.Stdout;
            w.WriteLine($"Conversation {conversation.Id}");
            w.WriteLine($"  tenant:       {conversation.TenantId}");
            w.WriteLine($"  channel:      {conversation.ChannelId}");
            w.WriteLine($"  customer:     {conversation.CustomerId}");
            w.WriteLine($"  chat:         {conversation.ExternalChatId}{(conversation.ExternalThreadId.Length > 0 ? " thread " + conversation.ExternalThreadId : string.Empty)}");
            w.WriteLine($"  route:        {conversation.DeliveryRouteId}");
            w.WriteLine($"  created:      {Render.Time(conversation.CreateTime)}");
            w.WriteLine($"  last message: {Render.Time(conversation.LastMessageTime)}");
            w.WriteLine();
            PrintMessages(messages.Messages, w);
            if (messages.NextPageToken.Length > 0) w.WriteLine($"More: clawscale conversations messages {id} --page-token {messages.NextPageToken}");
            return CliApp.Success;
        }));

        var messagesId = Options.Id("conversation-id", "The conversation id.");
        var (messagesSize, messagesToken) = Options.Paging();
        var messages = new Command("messages", "List a conversation's messages, oldest first.") { messagesId, messagesSize, messagesToken };
        context.Handle(messages, (p, c, ct) => c.Routing.ListMessagesAsync(new ListMessagesRequest
        {
            ConversationId = p.GetValue(messagesId)!, PageSize = p.GetValue(messagesSize), PageToken = p.GetValue(messagesToken) ?? string.Empty,
        }, cancellationToken: ct).ResponseAsync, (r, w) =>
        {
            PrintMessages(r.Messages, w);
            Paging.WriteNext(w, r.NextPageToken);
        });

        conversations.Subcommands.Add(list);
        conversations.Subcommands.Add(show);
        conversations.Subcommands.Add(messages);
        return conversations;
    }

    private static void Print(IEnumerable<Conversation> conversations, TextWriter writer)
    {
        var table = new Table("ID", "CHANNEL", "CUSTOMER", "CHAT", "THREAD", "LAST MESSAGE", "CREATED");
        foreach (var c in conversations)
            table.Add(c.Id, c.ChannelId, c.CustomerId, c.ExternalChatId, c.ExternalThreadId, Render.Time(c.LastMessageTime), Render.Time(c.CreateTime));
        table.WriteTo(writer);
    }

    /// <summary>A transcript: one block per message (time, role, text; continuation lines indented; attachments listed).</summary>
    private static void PrintMessages(IEnumerable<Message> messages, TextWriter writer)
    {
        var any = false;
        foreach (var m in messages)
        {
            any = true;
            var head = $"{Render.Time(m.CreateTime)}  {Render.Enum(m.Role),-6}  ";
            var lines = m.Text.ReplaceLineEndings("\n").Split('\n');
            writer.WriteLine((head + lines[0]).TrimEnd());
            foreach (var line in lines.Skip(1)) writer.WriteLine((new string(' ', head.Length) + line).TrimEnd());
            foreach (var a in m.Attachments)
                writer.WriteLine($"{new string(' ', head.Length)}[{Render.Enum(a.Kind)}] {(a.FileName.Length > 0 ? a.FileName : a.Url)}".TrimEnd());
        }

        if (!any) writer.WriteLine("No messages.");
    }
}
