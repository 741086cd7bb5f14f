using System.Net;
using System.Text.Json.Nodes;
using ClawScale.Kernel.Onboarding;
using ClawScale.Kernel.Persistence.Entities;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Kernel.Tests.Pipeline;
using ClawScale.Protos.V1;
using Microsoft.EntityFrameworkCore;
using Setup = ClawScale.Kernel.Tests.Pipeline.TelegramPipelineTests.Setup;

namespace ClawScale.Kernel.Tests.Onboarding;

/// <summary>
/// Join links end to end with Telegram: AdminService.CreateJoinLink, the public page <c>GET /join/{token}</c> on the
/// real kernel, and the update Telegram sends when a user opens the deep link <c>https://t.me/&lt;bot&gt;?start=&lt;code&gt;</c>
/// and presses Start: a private message whose text is <c>/start &lt;code&gt;</c> with a <c>bot_command</c> entity at offset 0
/// (Bot API "Deep linking", https://core.telegram.org/bots/features#deep-linking; Update and Message objects of
/// https://core.telegram.org/bots/api#update). The fake Bot API on 127.0.0.1 answers getMe with the bot's username.
/// </summary>
public abstract class JoinLinkTelegramTests(TelegramKernelFixture fixture)
{
    private const string AdaChat = "111111111";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [SkippableFact]
    public async Task Page_shows_the_deep_link_and_the_start_update_ties_the_sender_to_the_links_customer()
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        var k = t.Kernel;
        var customer = (await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest
        {
            TenantId = t.TenantId,
            Identity = new ExternalIdentityKey { Provider = "email", IdentityType = "email", Value = "ada@example.com" },
            DisplayName = "Ada (CRM)",
        }, k.AdminAuth)).Customer;
        var created = await k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest
        {
            TenantId = t.TenantId, ChannelId = t.ChannelId, CustomerId = customer.Id, Label = "Ada onboarding", MaxUses = 1,
        }, k.AdminAuth);
        Assert.Equal("https://gateway.example.test/join/" + created.Token, created.Url);
        Assert.Matches("^join-[A-Za-z0-9_-]{24}$", created.StartCode);
        Assert.Equal(JoinLinkStatus.Active, created.JoinLink.Status);

        // The page: the deep link carries the code, the fallback shows "/start <code>", and the token cannot leak.
        using var page = await Http.GetAsync(new Uri(k.HttpAddress, "/join/" + created.Token));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"href=\"https://t.me/{t.Fake.BotUsername}?start={created.StartCode}\"", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"/start {created.StartCode}\"", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"code\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Ada onboarding", html, StringComparison.Ordinal); // the label is for admins
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("no-store", page.Headers.CacheControl!.ToString());
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Start(734013001, 2001, created.StartCode)));
        var welcome = Assert.Single(await t.WaitForRepliesAsync(AdaChat, 1));
        Assert.Equal(JoinCodeRedeemer.WelcomeText, welcome.Parameter("text"));
        var identities = (await k.Admin.GetCustomerAsync(new AdminGetCustomerRequest { CustomerId = customer.Id }, k.AdminAuth)).Identities;
        Assert.Contains(identities, i => i.Provider == "telegram" && i.IdentityType == "user_id" && i.Value == AdaChat);
        // The code never reached the agent: only the kernel answered.
        Assert.Equal(0, await t.CountAsync(db => db.Messages.CountAsync(m => m.TenantId == t.TenantId && m.Role == MessageRoleValue.Agent)));

        // The next message goes to the agent, in a conversation of the link's customer.
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(TelegramPipelineTests.WithIds(TelegramPipelineTests.Payload("private_text"), 734013002, 2002, "hello after joining")));
        var sends = await t.WaitForRepliesAsync(AdaChat, 2);
        Assert.Equal("echo: hello after joining", sends[1].Parameter("text"));
        var lastConversationCustomer = await t.CountAsync(db => db.Messages.Where(m => m.TenantId == t.TenantId && m.Text == "hello after joining")
            .Join(db.Conversations, m => m.ConversationId, c => c.Id, (m, c) => c.CustomerId).SingleAsync());
        Assert.Equal(customer.Id, lastConversationCustomer);

        // Opening the link again: answered, no second use. The link allowed one use, so it is used up now.
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Start(734013003, 2003, created.StartCode)));
        var again = await t.WaitForRepliesAsync(AdaChat, 3);
        Assert.Equal(JoinCodeRedeemer.AlreadyJoinedText, again[2].Parameter("text"));
        var listed = Assert.Single((await k.Admin.ListJoinLinksAsync(new ListJoinLinksRequest { TenantId = t.TenantId, IncludeInactive = true }, k.AdminAuth)).JoinLinks);
        Assert.Equal(1, listed.UseCount);
        Assert.Equal(JoinLinkStatus.UsedUp, listed.Status);
        Assert.NotNull(listed.LastUsedTime);
        Assert.Empty((await k.Admin.ListJoinLinksAsync(new ListJoinLinksRequest { TenantId = t.TenantId }, k.AdminAuth)).JoinLinks);

        // Another sender with the used-up code is refused and keeps a customer of their own.
        var bob = Start(734013004, 2004, created.StartCode);
        bob["message"]!["from"]!["id"] = 222222222;
        bob["message"]!["from"]!["first_name"] = "Bob";
        bob["message"]!["chat"]!["id"] = 222222222;
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(bob));
        var refused = await t.WaitForCallsToAsync("222222222", 1);
        Assert.Equal(JoinCodeRedeemer.UsedUpText, Assert.Single(refused).Parameter("text"));
        var bobsCustomer = (await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest
        {
            TenantId = t.TenantId, Identity = new ExternalIdentityKey { Provider = "telegram", IdentityType = "user_id", Value = "222222222" },
        }, k.AdminAuth)).Customer;
        Assert.NotEqual(customer.Id, bobsCustomer.Id);
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Revoked_and_expired_links_answer_410_and_their_codes_are_refused()
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        var k = t.Kernel;
        var revoked = await k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { TenantId = t.TenantId, ChannelId = t.ChannelId }, k.AdminAuth);
        var expired = await k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { TenantId = t.TenantId, ChannelId = t.ChannelId, TtlSeconds = 60 }, k.AdminAuth);
        var revokedLink = (await k.Admin.RevokeJoinLinkAsync(new RevokeJoinLinkRequest { JoinLinkId = revoked.JoinLink.Id }, k.AdminAuth)).JoinLink;
        Assert.Equal(JoinLinkStatus.Revoked, revokedLink.Status);
        Assert.NotNull(revokedLink.RevokeTime);
        // Time passes for the second link: its expiry moves into the past (the kernel compares with its clock).
        await t.CountAsync(db => db.JoinLinks.Where(l => l.Id == expired.JoinLink.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTime.UtcNow.AddMinutes(-1))));

        using (var page = await Http.GetAsync(new Uri(k.HttpAddress, "/join/" + revoked.Token)))
        {
            Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("withdrawn", html, StringComparison.Ordinal);
            Assert.Contains("Ask whoever sent it for a new one", html, StringComparison.Ordinal);
            Assert.DoesNotContain(revoked.StartCode, html, StringComparison.Ordinal);
        }

        using (var page = await Http.GetAsync(new Uri(k.HttpAddress, "/join/" + expired.Token)))
        {
            Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
            Assert.Contains("expired", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Unknown (right shape) and malformed tokens: 404 with what to do.
        foreach (var token in new[] { new string('A', 43), "short", revoked.Token[..42] + "!" })
        {
            using var page = await Http.GetAsync(new Uri(k.HttpAddress, "/join/" + Uri.EscapeDataString(token)));
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Contains("ask whoever sent it for a new one", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Start(734013101, 2101, revoked.StartCode)));
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Start(734013102, 2102, expired.StartCode)));
        // Exactly the code, without /start, is recognised too.
        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(TelegramPipelineTests.WithIds(TelegramPipelineTests.Payload("private_text"), 734013103, 2103, "join-doesNotExist0123456789ab")));
        var sends = await t.WaitForRepliesAsync(AdaChat, 3);
        Assert.Equal([JoinCodeRedeemer.RevokedText, JoinCodeRedeemer.ExpiredText, JoinCodeRedeemer.UnknownText], sends.Select(s => s.Parameter("text")));
        Assert.Equal(0, await t.CountAsync(db => db.JoinLinkRedemptions.CountAsync(r => r.TenantId == t.TenantId)));
        Assert.Equal(0, await t.CountAsync(db => db.JoinLinks.Where(l => l.TenantId == t.TenantId).SumAsync(l => l.UseCount)));
        Assert.Equal(0, await t.CountAsync(db => db.Messages.CountAsync(m => m.TenantId == t.TenantId && m.Role == MessageRoleValue.Agent)));
        await t.AssertNoMoreRepliesAsync(AdaChat, 3);
        t.AssertNoUnexpectedErrors();
    }

    [SkippableFact]
    public async Task Code_of_another_tenants_channel_is_refused_like_an_unknown_code_and_ties_nothing()
    {
        await using var t = await Setup.StartAsync(fixture.Host);
        var k = t.Kernel;
        var (other, _) = await k.CreateTenantAsync();
        var otherChannel = (await k.Admin.CreateChannelAsync(new CreateChannelRequest { TenantId = other.Id, Kind = "webchat", DisplayName = "Other" }, k.AdminAuth)).Channel;
        var otherCustomer = (await k.Identity.ResolveExternalIdentityAsync(new ResolveExternalIdentityRequest
        {
            TenantId = other.Id, Identity = new ExternalIdentityKey { Provider = "email", IdentityType = "email", Value = "eve@example.com" },
        }, k.AdminAuth)).Customer;
        var foreign = await k.Admin.CreateJoinLinkAsync(new CreateJoinLinkRequest { TenantId = other.Id, ChannelId = otherChannel.Id, CustomerId = otherCustomer.Id }, k.AdminAuth);

        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(Start(734013201, 2201, foreign.StartCode)));
        var send = Assert.Single(await t.WaitForRepliesAsync(AdaChat, 1));
        Assert.Equal(JoinCodeRedeemer.UnknownText, send.Parameter("text"));
        var identities = (await k.Admin.GetCustomerAsync(new AdminGetCustomerRequest { CustomerId = otherCustomer.Id }, k.AdminAuth)).Identities;
        Assert.DoesNotContain(identities, i => i.Provider == "telegram");
        var link = Assert.Single((await k.Admin.ListJoinLinksAsync(new ListJoinLinksRequest { TenantId = other.Id }, k.AdminAuth)).JoinLinks);
        Assert.Equal(0, link.UseCount);
        t.AssertNoUnexpectedErrors();
    }

    /// <summary>The update of a user who opened the deep link and pressed Start: "/start &lt;code&gt;", a bot_command entity of length 6.</summary>
    private static JsonObject Start(long updateId, long messageId, string code)
    {
        var update = TelegramPipelineTests.WithIds(TelegramPipelineTests.Payload("private_text"), updateId, messageId, "/start " + code);
        update["message"]!["entities"] = new JsonArray(new JsonObject { ["offset"] = 0, ["length"] = 6, ["type"] = "bot_command" });
        return update;
    }
}

public sealed class JoinLinkTelegramSqliteTests(SqliteTelegramKernelFixture fixture) : JoinLinkTelegramTests(fixture), IClassFixture<SqliteTelegramKernelFixture>;

public sealed class JoinLinkTelegramPostgresTests(PostgresTelegramKernelFixture fixture) : JoinLinkTelegramTests(fixture), IClassFixture<PostgresTelegramKernelFixture>;
