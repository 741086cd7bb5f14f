using System.Net;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Setup = ClawScale.Kernel.Tests.Pipeline.TelegramPipelineTests.Setup;

namespace ClawScale.Kernel.Tests.Pipeline;

/// <summary>
/// ClawScale:Pipeline:MaxInboundTextLength (default 32768 characters) through the real host: RouteInbound refuses a
/// longer text with INVALID_ARGUMENT and stores nothing; a platform's longer message is acknowledged, cut with a marker
/// for agents, kept whole in its inbound event, and logged.
/// </summary>
public sealed class InboundTextLimitTests
{
    private const int Limit = 32 * 1024;
    private const string Marker = "\n[truncated by ClawScale]";

    [Fact]
    public async Task RouteInbound_with_text_over_the_limit_is_invalid_argument_naming_the_limit_and_nothing_is_stored()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), TelegramKernelFixture.Settings);
        await using var t = await Setup.StartAsync(kernel);

        var ex = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument,
            () => kernel.Routing.RouteInboundAsync(Request(t, "long-1", new string('a', Limit + 1)), kernel.AdminAuth).ResponseAsync,
            "ClawScale:Pipeline:MaxInboundTextLength");
        Assert.StartsWith("text:", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"{Limit + 1} characters", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"at most {Limit}", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await t.CountAsync(db => db.InboundEvents.CountAsync(e => e.ChannelId == t.ChannelId)));
        Assert.Equal(0, await t.CountAsync(db => db.Messages.CountAsync(m => m.TenantId == t.TenantId)));

        // At the limit (here with characters outside the BMP, two code units each) it is accepted as it is.
        var atLimit = string.Concat(Enumerable.Repeat("😀", Limit / 2));
        var accepted = await kernel.Routing.RouteInboundAsync(Request(t, "long-2", atLimit), kernel.AdminAuth);
        Assert.False(accepted.Duplicate);
        Assert.Equal(atLimit, await t.CountAsync(db => db.Messages.Where(m => m.ConversationId == accepted.ConversationId).Select(m => m.Text).FirstAsync()));
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_webhook_message_over_the_limit_is_acknowledged_cut_with_a_marker_kept_whole_in_its_event_and_logged()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite(), TelegramKernelFixture.Settings);
        await using var t = await Setup.StartAsync(kernel);
        var text = "start " + new string('b', Limit + 5000) + " end";
        var update = TelegramPipelineTests.WithIds(TelegramPipelineTests.Payload("private_text"), 910001, 7001, text);

        Assert.Equal(HttpStatusCode.OK, await t.PostAsync(update));

        var stored = await t.CountAsync(db => db.Messages.Where(m => m.TenantId == t.TenantId && m.Role == Kernel.Persistence.Entities.MessageRoleValue.User).Select(m => m.Text).SingleAsync());
        Assert.Equal(Limit, stored.Length);
        Assert.EndsWith(Marker, stored, StringComparison.Ordinal);
        Assert.Equal(text[..(Limit - Marker.Length)], stored[..(Limit - Marker.Length)]);
        // Nothing accepted is lost: the inbound event holds the text as the platform sent it.
        var payload = await t.CountAsync(db => db.InboundEvents.Where(e => e.ChannelId == t.ChannelId).Select(e => e.PayloadJson).SingleAsync());
        Assert.Contains(" end\"", payload, StringComparison.Ordinal);
        Assert.Contains(new string('b', Limit + 5000), payload, StringComparison.Ordinal);
        var warning = Assert.Single(kernel.Logs.Entries, e => e.EventId.Id == 2107);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"{text.Length} characters", warning.Message, StringComparison.Ordinal);
        Assert.Contains($"MaxInboundTextLength ({Limit})", warning.Message, StringComparison.Ordinal);

        // The turn runs on the cut text: the echo agent answers.
        await t.WaitForRepliesAsync("111111111", 1);
        t.AssertNoUnexpectedErrors();
    }

    private static RouteInboundRequest Request(Setup t, string id, string text) => new()
    {
        TenantId = t.TenantId,
        ChannelId = t.ChannelId,
        ExternalChatId = "4343",
        ProviderMessageId = id,
        Sender = new ExternalIdentityKey { Provider = "telegram", IdentityType = "user_id", Value = "4343" },
        Text = text,
    };
}
