using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Discord.Tests.Support;
using ClawScale.Plugins.Messages;
using Xunit;

namespace ClawScale.Plugins.Discord.Tests;

public sealed class DiscordMapperTests
{
    private const string Bot = TestChannel.BotUserId;

    [Fact]
    public void A_direct_message_is_direct_and_addressed_to_the_bot()
    {
        var message = DiscordMapper.TryMapMessage(Payloads.Message("message_dm"), Bot, out _)!;

        Assert.Equal("1323456789012345001", message.ProviderMessageId);
        Assert.Equal("1323456789012345001", message.PlatformMessageId);
        Assert.Equal("1323456789012340001", message.ExternalChatId);
        Assert.Null(message.ExternalThreadId);
        Assert.Equal(ChatKind.Direct, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("hello bot, what can you do?", message.Text);
        Assert.Equal("discord", message.Sender.Provider);
        Assert.Equal("80351110224678912", message.Sender.Value);
        Assert.Equal("ada", message.Sender.Username);
        Assert.Equal("Ada L.", message.Sender.DisplayName);
        Assert.False(message.Sender.IsBot);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero), message.SentAt);
    }

    [Fact]
    public void A_guild_message_mentioning_the_bot_is_addressed_with_the_mention_removed_and_the_attachment_kept()
    {
        var message = DiscordMapper.TryMapMessage(Payloads.Message("message_guild_mention"), Bot, out _)!;

        Assert.Equal(ChatKind.Group, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("summarize this thread please", message.Text);
        Assert.Equal("Grace", message.Sender.DisplayName);
        Assert.Equal("1323456789012300001", message.Properties[DiscordMapper.GuildIdProperty]);
        var attachment = Assert.Single(message.Attachments);
        Assert.Equal(AttachmentKind.Image, attachment.Kind);
        Assert.Equal("notes.png", attachment.FileName);
        Assert.Equal(48213, attachment.SizeBytes);
        Assert.StartsWith("https://cdn.discordapp.com/", attachment.Url, StringComparison.Ordinal);
    }

    [Fact]
    public void A_guild_message_not_mentioning_the_bot_is_kept_but_not_addressed()
    {
        var message = DiscordMapper.TryMapMessage(Payloads.Message("message_guild_no_mention"), Bot, out _)!;
        Assert.Equal(ChatKind.Group, message.ChatKind);
        Assert.False(message.AddressedToBot);
        Assert.Equal("lunch anyone?", message.Text);
    }

    [Theory]
    [InlineData("message_from_bot")]
    [InlineData("message_from_self")]
    public void Messages_from_bots_including_itself_are_ignored(string payload)
    {
        Assert.Null(DiscordMapper.TryMapMessage(Payloads.Message(payload), Bot, out var reason));
        Assert.Contains("bot", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slash_command_becomes_its_typed_text_carrying_the_interaction_token()
    {
        var message = DiscordMapper.TryMapCommand(Payloads.Interaction("interaction_command"), out _)!;

        Assert.Equal("/ask what is the capital of France? 2", message.Text);
        Assert.Equal("1323456789012360002", message.ProviderMessageId);
        Assert.Equal("1323456789012340002", message.ExternalChatId);
        Assert.Equal(ChatKind.Group, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("80351110224678913", message.Sender.Value);
        Assert.Equal("aW50ZXJhY3Rpb246MTMyMzQ1Njc4OTAxMjM2MDAwMjpzZWNyZXQtdG9rZW4", message.Properties[DiscordMapper.InteractionTokenProperty]);
        Assert.Equal("1100000000000000001", message.Properties[DiscordMapper.ApplicationIdProperty]);
        Assert.Equal(2024, message.SentAt.Year);
    }

    [Fact]
    public void The_bot_id_is_read_from_the_token()
    {
        Assert.Equal(Bot, DiscordMapper.BotUserIdFromToken(TestChannel.Token));
        Assert.Null(DiscordMapper.BotUserIdFromToken("not-a-token"));
    }

    [Fact]
    public void Send_failures_map_to_retry_or_permanent()
    {
        Assert.Equal(SendOutcome.Retry, DiscordMapper.ToFailedSendResult(new DiscordApiResult<object> { StatusCode = 502 }).Outcome);
        Assert.Equal(SendOutcome.PermanentFailure, DiscordMapper.ToFailedSendResult(new DiscordApiResult<object> { StatusCode = 403, ErrorCode = 50013 }).Outcome);
        var retry = DiscordMapper.ToFailedSendResult(new DiscordApiResult<object> { StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(2) });
        Assert.Equal(TimeSpan.FromSeconds(2), retry.RetryAfter);
    }

    [Fact]
    public void Nonces_are_25_characters_and_stable_per_key_and_chunk()
    {
        Assert.Equal(25, DiscordMapper.Nonce("key-1", 0).Length);
        Assert.Equal(DiscordMapper.Nonce("key-1", 0), DiscordMapper.Nonce("key-1", 0));
        Assert.NotEqual(DiscordMapper.Nonce("key-1", 0), DiscordMapper.Nonce("key-1", 1));
    }
}
