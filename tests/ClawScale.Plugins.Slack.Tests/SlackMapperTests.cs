using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Slack.Model;
using ClawScale.Plugins.Slack.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Slack.Tests;

public sealed class SlackMapperTests
{
    private static SlackEnvelope Envelope(string name) => JsonSerializer.Deserialize(Payloads.Read(name), SlackJsonContext.Default.SlackEnvelope)!;

    private static InboundMessage Map(string name, string? botUserId = TestChannel.BotUserId, bool replyInThread = true)
    {
        var message = SlackMapper.TryMapEvent(Envelope(name), botUserId, replyInThread, out var reason);
        Assert.True(message is not null, reason);
        return message!;
    }

    [Fact]
    public void A_dm_is_direct_addressed_and_not_threaded()
    {
        var m = Map("dm_message");

        Assert.Equal("D0DMCHAN01:1735732800.000200", m.ProviderMessageId);
        Assert.Equal("D0DMCHAN01", m.ExternalChatId);
        Assert.Null(m.ExternalThreadId);
        Assert.Equal(ChatKind.Direct, m.ChatKind);
        Assert.True(m.AddressedToBot);
        Assert.Equal("slack", m.Sender.Provider);
        Assert.Equal("U0USER0001", m.Sender.Value);
        Assert.False(m.Sender.IsBot);
        Assert.Equal("Hello, can you summarise my week?", m.Text);
        Assert.Equal("1735732800.000200", m.PlatformMessageId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1735732800).AddTicks(2000), m.SentAt);
        Assert.Equal("Ev0DM00001", m.Properties[SlackMapper.EventIdProperty]);
        Assert.Equal("T0FAKE0001", m.Properties[SlackMapper.TeamIdProperty]);
    }

    [Fact]
    public void A_top_level_mention_in_a_channel_is_a_group_message_threaded_under_itself_with_the_mention_removed()
    {
        var m = Map("channel_app_mention");

        Assert.Equal(ChatKind.Group, m.ChatKind);
        Assert.True(m.AddressedToBot);
        Assert.Equal("C0GENERAL1", m.ExternalChatId);
        Assert.Equal("1735732900.000300", m.ExternalThreadId);
        Assert.Equal("what is the deploy status?", m.Text);
    }

    [Fact]
    public void Reply_in_thread_off_leaves_top_level_channel_messages_unthreaded()
    {
        Assert.Null(Map("channel_app_mention", replyInThread: false).ExternalThreadId);
    }

    [Fact]
    public void A_thread_reply_keeps_the_parent_thread_and_is_not_addressed_without_a_mention()
    {
        var m = Map("thread_reply");

        Assert.Equal("1735732900.000300", m.ExternalThreadId);
        Assert.Equal("C0GENERAL1:1735733000.000400", m.ProviderMessageId);
        Assert.Equal(ChatKind.Group, m.ChatKind);
        Assert.False(m.AddressedToBot);
    }

    [Fact]
    public void A_plain_channel_message_is_not_addressed()
    {
        Assert.False(Map("channel_plain_message").AddressedToBot);
    }

    [Fact]
    public void The_bot_user_id_falls_back_to_the_envelope_authorizations()
    {
        var m = Map("channel_message_mention", botUserId: null);
        Assert.True(m.AddressedToBot);
        Assert.Equal("what is the deploy status?", m.Text);
        Assert.Null(SlackMapper.TryMapEvent(Envelope("own_message"), null, true, out var reason));
        Assert.Equal("the bot's own message", reason);
    }

    [Theory]
    [InlineData("bot_message", "bot_message")]
    [InlineData("message_changed", "message_changed")]
    [InlineData("url_verification", "url_verification")]
    public void Non_user_messages_are_ignored_with_a_reason(string payload, string reasonPart)
    {
        Assert.Null(SlackMapper.TryMapEvent(Envelope(payload), TestChannel.BotUserId, true, out var reason));
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Send_plan_goes_to_the_route_channel_and_thread()
    {
        var plan = SlackMapper.PlanSend(new OutboundMessage
        {
            DeliveryId = "d1", IdempotencyKey = "k1", ExternalChatId = "C0GENERAL1", ExternalThreadId = "1735732900.000300", Text = "All green.",
        }, new SlackOptions());

        var call = Assert.Single(plan);
        Assert.Equal("C0GENERAL1", call.Channel);
        Assert.Equal("1735732900.000300", call.ThreadTs);
        Assert.Equal("All green.", call.Text);
        Assert.Null(call.Blocks);
    }

    [Fact]
    public void Images_become_image_blocks_and_other_files_links_in_the_text()
    {
        var plan = SlackMapper.PlanSend(new OutboundMessage
        {
            DeliveryId = "d1", IdempotencyKey = "k1", ExternalChatId = "D0DMCHAN01", Text = "Your report:",
            Attachments =
            [
                new MessageAttachment { Kind = AttachmentKind.Document, Url = "https://files.example.com/report.pdf", FileName = "report.pdf" },
                new MessageAttachment { Kind = AttachmentKind.Image, Url = "https://files.example.com/chart.png", FileName = "chart.png" },
            ],
        }, new SlackOptions());

        Assert.Equal(2, plan.Count);
        Assert.Equal("Your report:\n<https://files.example.com/report.pdf|report.pdf>", plan[0].Text);
        var block = Assert.Single(plan[1].Blocks!);
        Assert.Equal("image", block.Type);
        Assert.Equal("https://files.example.com/chart.png", block.ImageUrl);
        Assert.Equal("chart.png", block.AltText);
    }

    [Fact]
    public void An_attachment_without_a_url_cannot_be_sent()
    {
        var ex = Assert.Throws<ArgumentException>(() => SlackMapper.PlanSend(new OutboundMessage
        {
            DeliveryId = "d1", IdempotencyKey = "k1", ExternalChatId = "D0DMCHAN01",
            Attachments = [new MessageAttachment { Kind = AttachmentKind.Document, Data = new byte[] { 1, 2 }, FileName = "a.bin" }],
        }, new SlackOptions()));
        Assert.Contains("by URL only", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_text_is_split_at_line_breaks_within_the_limit()
    {
        var text = string.Join('\n', Enumerable.Range(0, 30).Select(i => new string((char)('a' + (i % 26)), 99)));
        var chunks = SlackMapper.SplitText(text, 1000);

        Assert.All(chunks, c => Assert.True(c.Length <= 1000));
        Assert.Equal(text, string.Join('\n', chunks));
        Assert.Equal(3, chunks.Count);
    }

    [Fact]
    public void Split_never_cuts_a_surrogate_pair()
    {
        var text = new string('x', 9) + "😀" + new string('y', 10);
        var chunks = SlackMapper.SplitText(text, 10);
        Assert.Equal(text, string.Concat(chunks));
        Assert.All(chunks, c => Assert.False(char.IsHighSurrogate(c[^1])));
    }

    [Theory]
    [InlineData("channel_not_found", "invite")]
    [InlineData("not_in_channel", "/invite")]
    [InlineData("is_archived", "unarchive")]
    [InlineData("invalid_auth", "credentials.bot_token")]
    [InlineData("account_inactive", "credentials.bot_token")]
    public void Errors_retrying_cannot_fix_are_permanent_and_say_what_to_do(string error, string advice)
    {
        var result = SlackMapper.ToFailedSendResult(new SlackApiResult { Response = new SlackApiResponse { Ok = false, Error = error }, HttpStatus = 200, Error = error });
        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains(advice, result.Error, StringComparison.Ordinal);
    }
}
