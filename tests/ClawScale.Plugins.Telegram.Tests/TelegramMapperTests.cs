using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using ClawScale.Plugins.Telegram.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Telegram.Tests;

public class TelegramMapperTests
{
    private static readonly TelegramBotIdentity Bot = new(7000000001, "yourbot");

    private static InboundMessage Map(string payload, TelegramBotIdentity? bot = null)
    {
        var message = TelegramMapper.TryMapUpdate(Payloads.Update(payload), bot ?? Bot, out var reason);
        Assert.True(message is not null, $"ignored: {reason}");
        return message!;
    }

    [Fact]
    public void Private_text_message_maps_every_field()
    {
        var m = Map("private_text");
        Assert.Equal("734012001", m.ProviderMessageId);
        Assert.Equal("1365", m.PlatformMessageId);
        Assert.Equal("111111111", m.ExternalChatId);
        Assert.Null(m.ExternalThreadId);
        Assert.Equal(ChatKind.Direct, m.ChatKind);
        Assert.True(m.AddressedToBot);
        Assert.Equal("Hello, can you summarise my notes?", m.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1735732800), m.SentAt);
        Assert.Equal("telegram", m.Sender.Provider);
        Assert.Equal("user_id", m.Sender.IdentityType);
        Assert.Equal("111111111", m.Sender.Value);
        Assert.Equal("Ada Lovelace", m.Sender.DisplayName);
        Assert.Equal("ada_l", m.Sender.Username);
        Assert.False(m.Sender.IsBot);
        Assert.Empty(m.Attachments);
    }

    [Fact]
    public void Group_mention_of_the_bot_is_addressed_case_insensitively_and_the_mention_is_removed()
    {
        var m = Map("group_mention");
        Assert.Equal(ChatKind.Group, m.ChatKind);
        Assert.Equal("-1001987654321", m.ExternalChatId);
        Assert.True(m.AddressedToBot);
        Assert.Equal("what is the weather in Paris?", m.Text);
        Assert.Equal("Grace", m.Sender.DisplayName);
    }

    [Fact]
    public void Group_mention_is_not_recognised_while_the_bot_username_is_unknown()
    {
        var m = Map("group_mention", new TelegramBotIdentity(7000000001, null));
        Assert.False(m.AddressedToBot);
        Assert.Equal("@YourBot what is the weather in Paris?", m.Text);
    }

    [Fact]
    public void Group_message_mentioning_someone_else_is_not_addressed()
    {
        var m = Map("group_no_mention");
        Assert.Equal(ChatKind.Group, m.ChatKind);
        Assert.False(m.AddressedToBot);
        Assert.Equal("Anyone up for lunch? cc @someone_else", m.Text);
    }

    [Fact]
    public void Reply_to_the_bot_in_a_group_is_addressed_and_a_reply_thread_is_not_a_topic()
    {
        var m = Map("group_reply_to_bot");
        Assert.True(m.AddressedToBot);
        Assert.Equal("2004", m.PlatformMessageId);
        Assert.Null(m.ExternalThreadId);
        Assert.Equal("Alan Turing", m.Sender.DisplayName);
    }

    [Fact]
    public void Reply_to_the_bot_is_recognised_by_bot_id_even_without_username()
    {
        var m = Map("group_reply_to_bot", new TelegramBotIdentity(7000000001, null));
        Assert.True(m.AddressedToBot);
    }

    [Fact]
    public void Forum_topic_message_keeps_the_thread_and_the_topic_root_is_not_a_reply_to_the_bot()
    {
        var m = Map("forum_topic");
        Assert.Equal("-1002233445566", m.ExternalChatId);
        Assert.Equal("42", m.ExternalThreadId);
        Assert.Equal(ChatKind.Group, m.ChatKind);
        Assert.False(m.AddressedToBot);
        Assert.Equal("Invoices for March are missing", m.Text);
    }

    [Fact]
    public void Photo_with_caption_maps_the_largest_size_and_the_caption()
    {
        var m = Map("photo_caption");
        Assert.Equal("What bird is this?", m.Text);
        var a = Assert.Single(m.Attachments);
        Assert.Equal(AttachmentKind.Image, a.Kind);
        Assert.Equal("AgACAgIAAxkBAAIBZ2large", a.ProviderFileId);
        Assert.Equal(98765, a.SizeBytes);
        Assert.Null(a.Url);
    }

    [Fact]
    public void Document_maps_name_type_size_and_file_id()
    {
        var m = Map("document");
        Assert.Null(m.Text);
        var a = Assert.Single(m.Attachments);
        Assert.Equal(AttachmentKind.Document, a.Kind);
        Assert.Equal("BQACAgIAAxkBAAIBaGReport", a.ProviderFileId);
        Assert.Equal("report-q1.pdf", a.FileName);
        Assert.Equal("application/pdf", a.MimeType);
        Assert.Equal(482113, a.SizeBytes);
    }

    [Fact]
    public void Bot_command_naming_the_bot_is_addressed_and_loses_the_suffix()
    {
        var m = Map("bot_command_help");
        Assert.True(m.AddressedToBot);
        Assert.Equal("/help", m.Text);
    }

    [Fact]
    public void Bot_command_naming_another_bot_is_not_addressed()
    {
        var update = Payloads.Update("bot_command_help");
        update.Message!.Text = "/help@otherbot";
        update.Message.Entities = [new MessageEntity { Type = MessageEntityType.BotCommand, Offset = 0, Length = 14 }];
        var m = TelegramMapper.TryMapUpdate(update, Bot, out _)!;
        Assert.False(m.AddressedToBot);
        Assert.Equal("/help@otherbot", m.Text);
    }

    [Fact]
    public void Bare_bot_command_in_a_group_is_addressed()
    {
        var update = Payloads.Update("bot_command_help");
        update.Message!.Text = "/start";
        update.Message.Entities = [new MessageEntity { Type = MessageEntityType.BotCommand, Offset = 0, Length = 6 }];
        Assert.True(TelegramMapper.TryMapUpdate(update, Bot, out _)!.AddressedToBot);
    }

    [Fact]
    public void Edited_message_is_ignored_with_its_type_named()
    {
        var m = TelegramMapper.TryMapUpdate(Payloads.Update("edited_message"), Bot, out var reason);
        Assert.Null(m);
        Assert.Contains("edited_message", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_from_a_bot_is_mapped_with_IsBot()
    {
        var m = Map("message_from_bot");
        Assert.True(m.Sender.IsBot);
        Assert.Equal("6000000002", m.Sender.Value);
        Assert.Equal("weather_helper_bot", m.Sender.Username);
        Assert.Equal("forecast: rain at 15:00", m.Text);
    }

    [Fact]
    public void SplitText_prefers_paragraphs_then_lines_then_words_and_keeps_everything()
    {
        var paragraph = string.Join(' ', Enumerable.Repeat("lorem ipsum dolor", 150)); // 2699 chars
        var text = paragraph + "\n\n" + paragraph + "\n\n" + paragraph;
        var chunks = TelegramMapper.SplitText(text, 4096);
        Assert.Equal(3, chunks.Count);
        Assert.All(chunks, c => Assert.Equal(paragraph, c));
    }

    [Fact]
    public void SplitText_falls_back_to_words_and_hard_cuts_without_breaking_surrogate_pairs()
    {
        var words = string.Join(' ', Enumerable.Repeat("abcdefghi", 1000)); // 9999 chars
        var chunks = TelegramMapper.SplitText(words, 4096);
        Assert.All(chunks, c => Assert.True(c.Length <= 4096));
        Assert.All(chunks, c => Assert.DoesNotContain("  ", c, StringComparison.Ordinal));
        Assert.Equal(words.Replace(" ", "", StringComparison.Ordinal), string.Concat(chunks).Replace(" ", "", StringComparison.Ordinal));

        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 3000)); // 6000 UTF-16 units, no spaces
        var hard = TelegramMapper.SplitText(emoji, 4095);
        Assert.All(hard, c => Assert.True(c.Length <= 4095));
        Assert.All(hard, c => Assert.False(char.IsHighSurrogate(c[^1])));
        Assert.Equal(emoji, string.Concat(hard));
    }

    [Fact]
    public void PlanSend_uses_the_text_as_caption_only_when_it_fits()
    {
        var options = new TelegramOptions();
        var photo = new MessageAttachment { Kind = AttachmentKind.Image, Url = "https://example.com/a.png" };
        var shortPlan = TelegramMapper.PlanSend(new OutboundMessage { DeliveryId = "d", IdempotencyKey = "k", ExternalChatId = "1", Text = "look", Attachments = [photo] }, options);
        var step = Assert.Single(shortPlan);
        Assert.Equal("look", step.Caption);

        var longPlan = TelegramMapper.PlanSend(new OutboundMessage { DeliveryId = "d", IdempotencyKey = "k", ExternalChatId = "1", Text = new string('x', 1025), Attachments = [photo] }, options);
        Assert.Equal(2, longPlan.Count);
        Assert.NotNull(longPlan[0].Text);
        Assert.Null(longPlan[1].Caption);
    }

    [Fact]
    public void Failures_map_to_retry_or_permanent()
    {
        Assert.Equal(SendOutcome.Retry, TelegramMapper.ToFailedSendResult(new TelegramApiResult<Message> { ErrorCode = 502, Description = "Bad Gateway" }).Outcome);
        var migrated = TelegramMapper.ToFailedSendResult(new TelegramApiResult<Message> { ErrorCode = 400, Description = "Bad Request: group chat was upgraded to a supergroup chat", MigrateToChatId = -1001234567890 });
        Assert.Equal(SendOutcome.PermanentFailure, migrated.Outcome);
        Assert.Contains("-1001234567890", migrated.Error, StringComparison.Ordinal);
        var notFound = TelegramMapper.ToFailedSendResult(new TelegramApiResult<Message> { ErrorCode = 400, Description = "Bad Request: chat not found" });
        Assert.Equal(SendOutcome.PermanentFailure, notFound.Outcome);
        Assert.Contains("chat not found", notFound.Error, StringComparison.Ordinal);
    }
}
