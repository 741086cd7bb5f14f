using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// Kernel commands and agent failures through the real pipeline (web chat channel → ACCEPT → DISPATCH → DELIVER),
/// observed as a visitor would (the chat history endpoint) and as an admin would (AdminService).
/// </summary>
public sealed partial class KernelCommandsAndFailuresTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Link_joins_two_chats_to_one_customer_and_unlink_separates_them()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (tenant, key) = await kernel.CreateTenantAsync();
        var channelId = await CreateWebChatWithEchoAsync(kernel, key);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        const string a = "visitorAAAAAAAAAAAAAAAAAA", b = "visitorBBBBBBBBBBBBBBBBBB";

        await PostAsync(http, channelId, a, "/link", "1");
        var codeReply = await WaitForReplyAsync(http, channelId, a, r => r.Contains("link code", StringComparison.Ordinal));
        var code = CodeRegex().Match(codeReply).Value;
        Assert.Matches("^[0-9]{6}$", code);

        await PostAsync(http, channelId, b, "/link " + code, "1");
        await WaitForReplyAsync(http, channelId, b, r => r.StartsWith("Linked", StringComparison.Ordinal));
        var auth = KernelHost.Auth(key);
        var customerA = await ResolveAsync(kernel, auth, a);
        var customerB = await ResolveAsync(kernel, auth, b);
        Assert.Equal(customerA, customerB);
        Assert.Equal(2, (await kernel.Identity.ListExternalIdentitiesAsync(new ListExternalIdentitiesRequest { CustomerId = customerA }, auth)).Identities.Count);

        // A code works once.
        await PostAsync(http, channelId, "visitorCCCCCCCCCCCCCCCCCC", "/link " + code, "1");
        await WaitForReplyAsync(http, channelId, "visitorCCCCCCCCCCCCCCCCCC", r => r.Contains("unknown or expired", StringComparison.Ordinal));

        await PostAsync(http, channelId, b, "/unlink", "2");
        await WaitForReplyAsync(http, channelId, b, r => r.StartsWith("Unlinked", StringComparison.Ordinal));
        Assert.NotEqual(await ResolveAsync(kernel, auth, a), await ResolveAsync(kernel, auth, b));
        Assert.Equal(tenant.Id, (await kernel.Identity.GetCustomerAsync(new GetCustomerRequest { CustomerId = customerA }, auth)).Customer.TenantId);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_provider_error_becomes_an_apology_to_the_user_and_a_failed_turn_admins_can_list()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        // An OpenAI-compatible agent whose provider refuses connections (the discard port on loopback).
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest
        {
            Name = "llm",
            Kind = "openai",
            Config = { ["model"] = "test-model", ["base_url"] = KernelHost.UnreachablePlatformUrl + "/v1", ["timeout_seconds"] = "5" },
        }, auth)).Agent;
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Web" }, auth)).Channel;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        const string visitor = "visitorDDDDDDDDDDDDDDDDDD";

        await PostAsync(http, channel.Id, visitor, "hello?", "1");
        var apology = await WaitForReplyAsync(http, channel.Id, visitor, _ => true);
        Assert.DoesNotContain("127.0.0.1", apology);

        var failed = await kernel.Admin.ListTurnsAsync(new ListTurnsRequest { Status = TurnStatus.Failed }, auth);
        var turn = Assert.Single(failed.Turns);
        Assert.Equal(agent.Id, turn.AgentId);
        Assert.Contains("openai", turn.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(turn.CompleteTime);
        Assert.Empty((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest { Status = TurnStatus.Completed }, auth)).Turns);
        // The reply is stored with the turn; its delivery completes right after.
        await Eventually.TrueAsync(
            async () => (await kernel.Admin.ListDeliveriesAsync(new AdminListDeliveriesRequest(), auth)).Deliveries is [{ Status: DeliveryStatus.Delivered }],
            "the apology's delivery");
        kernel.AssertNoUnexpectedErrors(m => m.Contains("openai", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<string> CreateWebChatWithEchoAsync(KernelHost kernel, string key)
    {
        var auth = KernelHost.Auth(key);
        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "echo", Kind = "echo" }, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        return (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Web" }, auth)).Channel.Id;
    }

    private static async Task PostAsync(HttpClient http, string channelId, string visitor, string text, string clientMessageId)
    {
        using var response = await http.PostAsJsonAsync(new Uri($"/chat/{channelId}/messages", UriKind.Relative), new { visitorId = visitor, text, clientMessageId });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>Polls the visitor's chat history (bounded) until a non-user message matches; returns its text.</summary>
    private static async Task<string> WaitForReplyAsync(HttpClient http, string channelId, string visitor, Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow + Bound;
        var seen = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/chat/{channelId}/history?visitorId={visitor}", UriKind.Relative)));
            seen = doc.RootElement.EnumerateArray()
                .Where(m => m.GetProperty("role").GetString() != "user")
                .Select(m => m.GetProperty("text").GetString() ?? string.Empty).ToList();
            var found = seen.LastOrDefault(match);
            if (found is not null) return found;
            await Task.Delay(50);
        }

        throw new TimeoutException($"No matching reply for {visitor} within {Bound}; replies seen: {string.Join(" | ", seen)}");
    }

    private static async Task<string> ResolveAsync(KernelHost kernel, global::Grpc.Core.Metadata auth, string visitor) =>
        (await kernel.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest
        {
            Identity = new ExternalIdentityKey { Provider = "webchat", IdentityType = "visitor_id", Value = visitor },
            CreateIfMissing = false,
        }, auth)).Customer.Id;

    [GeneratedRegex("[0-9]{6}")]
    private static partial Regex CodeRegex();
}
