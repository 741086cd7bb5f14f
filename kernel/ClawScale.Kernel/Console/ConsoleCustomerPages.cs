using ClawScale.Protos.V1;
using static ClawScale.Kernel.Console.Html;

namespace ClawScale.Kernel.Console;

/// <summary>Customers with their external identities, and conversations with their messages and turns.</summary>
internal static class ConsoleCustomerPages
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/customers", ConsoleHandler.Of(Customers));
        pages.MapGet("/customers/{id}", ConsoleHandler.Of(Customer));
        pages.MapGet("/conversations", ConsoleHandler.Of(Conversations));
        pages.MapGet("/conversations/{id}", ConsoleHandler.Of(Conversation));
    }

    private static async Task<IResult> Customers(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var page = await r.Admin.ListCustomersAsync(new ListCustomersRequest { TenantId = r.TenantId, PageToken = r.Query("page_token") }, r.Call);
        var rows = page.Customers.Select(c => (IReadOnlyList<Markup>)
        [
            Link("/console/customers/" + c.Id, c.DisplayName.Length == 0 ? c.Id : c.DisplayName),
            Code(c.Id),
            H($"{Time(c.CreateTime)}"),
        ]);
        var content = H($"{Table("Customers", ["Name", "Id", "Created"], rows, "No customers yet: they appear with the first message on a shared channel.")}{ConsoleTenantPages.Pager(page.NextPageToken, "/console/customers")}");
        return r.Page("Customers", "customers", content);
    }

    private static async Task<IResult> Customer(HttpContext http, string id)
    {
        var r = ConsoleRequest.Of(http);
        var answer = await r.Admin.GetCustomerAsync(new AdminGetCustomerRequest { CustomerId = id }, r.Call);
        var rows = answer.Identities.Select(i => (IReadOnlyList<Markup>) [H($"{i.Provider}"), H($"{i.IdentityType}"), Code(i.Value), H($"{Time(i.CreateTime)}")]);
        var content = H($"""
            <p><a href="/console/customers">← Customers</a></p>
            <dl class="card facts"><dt>Id</dt><dd>{Code(answer.Customer.Id)}</dd><dt>Created</dt><dd>{Time(answer.Customer.CreateTime)}</dd></dl>
            {Table("External identities", ["Provider", "Type", "Value", "Linked"], rows, "No external identities.")}
            <p><a href="/console/conversations?customer_id={answer.Customer.Id}">Conversations of this customer</a></p>
            """);
        return r.Page(answer.Customer.DisplayName.Length == 0 ? "Customer" : answer.Customer.DisplayName, "customers", content);
    }

    private static async Task<IResult> Conversations(HttpContext http)
    {
        var r = ConsoleRequest.Of(http);
        var customer = r.Query("customer_id");
        var page = await r.Routing.ListConversationsAsync(new ListConversationsRequest
        {
            TenantId = r.TenantId,
            CustomerId = customer,
            ChannelId = r.Query("channel_id"),
            PageToken = r.Query("page_token"),
        }, r.Call);
        var rows = page.Conversations.Select(c => (IReadOnlyList<Markup>)
        [
            Link("/console/conversations/" + c.Id, Time(c.LastMessageTime) is { Length: > 0 } t ? t : Time(c.CreateTime)),
            Link("/console/customers/" + c.CustomerId, c.CustomerId),
            Link("/console/channels/" + c.ChannelId, c.ChannelId),
            Code(c.ExternalChatId),
        ]);
        var filter = customer.Length > 0 ? H($"<p class=\"hint\">Customer {customer} only. <a href=\"/console/conversations\">Show all</a></p>") : Markup.Empty;
        var content = H($"{filter}{Table("Conversations", ["Last message", "Customer", "Channel", "External chat"], rows, "No conversations yet.")}{ConsoleTenantPages.Pager(page.NextPageToken, "/console/conversations" + (customer.Length > 0 ? "?customer_id=" + Uri.EscapeDataString(customer) : string.Empty))}");
        return r.Page("Conversations", "conversations", content);
    }

    private static async Task<IResult> Conversation(HttpContext http, string id)
    {
        var r = ConsoleRequest.Of(http);
        var conversation = (await r.Routing.GetConversationAsync(new GetConversationRequest { ConversationId = id }, r.Call)).Conversation;
        var messages = await r.Routing.ListMessagesAsync(new ListMessagesRequest { ConversationId = id, PageSize = 200, PageToken = r.Query("page_token") }, r.Call);
        var turns = await r.Admin.ListTurnsAsync(new ListTurnsRequest { TenantId = conversation.TenantId, ConversationId = id, PageSize = 50 }, r.Call);
        var bubbles = messages.Messages.Select(m => H($"""
            <li class="msg {Name(m.Role)}"><span class="meta">{Name(m.Role)} · {Time(m.CreateTime)}</span><p>{m.Text}</p>{(m.Attachments.Count > 0 ? $"{m.Attachments.Count} attachment(s)" : string.Empty)}</li>
            """));
        var content = H($"""
            <p><a href="/console/conversations">← Conversations</a></p>
            <dl class="card facts">
            <dt>Customer</dt><dd>{Link("/console/customers/" + conversation.CustomerId, conversation.CustomerId)}</dd>
            <dt>Channel</dt><dd>{Link("/console/channels/" + conversation.ChannelId, conversation.ChannelId)}</dd>
            <dt>External chat</dt><dd>{Code(conversation.ExternalChatId)} {Code(conversation.ExternalThreadId)}</dd>
            </dl>
            <h2>Messages</h2>
            <ol class="messages">{bubbles}</ol>
            {ConsoleTenantPages.Pager(messages.NextPageToken, "/console/conversations/" + id)}
            {ConsoleActivityPages.TurnTable(turns.Turns)}
            """);
        return r.Page("Conversation", "conversations", content);
    }
}
