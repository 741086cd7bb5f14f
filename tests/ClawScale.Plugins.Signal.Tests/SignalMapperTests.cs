using System.Text.Json;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Signal.Model;
using ClawScale.Plugins.Signal.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Signal.Tests;

/// <summary>Mapping of documented receive items (Payloads/SOURCES.md) and of send failures.</summary>
public sealed class SignalMapperTests
{
    private static readonly SignalOptions Options = SignalOptions.Parse(new Dictionary<string, string>
    {
        ["api_base_url"] = "http://signal-api:8080",
        ["number"] = SignalTestChannel.BotNumber,
    }, out _);

    private static SignalReceived Item(string name) => JsonSerializer.Deserialize(SignalTestChannel.Payload(name), SignalJsonContext.Default.SignalReceived)!;

    [Fact]
    public void Direct_text_maps_to_a_direct_message_keyed_on_source_and_timestamp()
    {
        var message = SignalMapper.TryMap(Item("direct_text"), Options, out _)!;
        Assert.Equal("+4915112345678:1745372297238", message.ProviderMessageId);
        Assert.Equal("+4915112345678", message.ExternalChatId);
        Assert.Equal(ChatKind.Direct, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("Hello, can you summarise my notes?", message.Text);
        Assert.Equal("7ccae375-cd51-4c82-8b1e-7be3280aa485", message.Sender.Value);
        Assert.Equal("Ada", message.Sender.DisplayName);
        Assert.Equal("1745372297238", message.PlatformMessageId);
        Assert.Equal("+4915112345678", message.Properties[SignalMapper.QuoteAuthorProperty]);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1745372297238), message.SentAt);
    }

    [Fact]
    public void Group_mention_is_addressed_goes_to_the_group_recipient_and_loses_the_placeholder()
    {
        var message = SignalMapper.TryMap(Item("group_mention"), Options, out _)!;
        Assert.Equal(ChatKind.Group, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("what is the weather in Paris?", message.Text);
        // "group." + base64 of the UTF-8 bytes of signal-cli's group id (signal-cli-rest-api convertInternalGroupIdToGroupId).
        Assert.Equal("group.UG1waStFZlBXbXN4aW9tTGU5TngyWEY5SE9FNDgzcDZpS2lGajY1aU13ST0=", message.ExternalChatId);
    }

    [Fact]
    public void Group_message_without_mention_is_not_addressed_unless_group_replies_is_all()
    {
        Assert.False(SignalMapper.TryMap(Item("group_no_mention"), Options, out _)!.AddressedToBot);
        var all = Options with { GroupReplies = SignalGroupReplies.All };
        Assert.True(SignalMapper.TryMap(Item("group_no_mention"), all, out _)!.AddressedToBot);
    }

    [Theory]
    [InlineData("receipt")]
    [InlineData("typing")]
    [InlineData("from_bot")]
    public void Receipts_typing_and_the_bots_own_messages_are_ignored(string name)
    {
        Assert.Null(SignalMapper.TryMap(Item(name), Options, out var reason));
        Assert.NotNull(reason);
    }

    [Fact]
    public void Reply_quotes_the_users_message_on_the_first_chunk_only()
    {
        var requests = SignalMapper.PlanSend(new OutboundMessage
        {
            DeliveryId = "d1",
            IdempotencyKey = "k1",
            ExternalChatId = "+4915112345678",
            Text = new string('a', 2500),
            ReplyToPlatformMessageId = "1745372297238",
            Properties = new Dictionary<string, string> { [SignalMapper.QuoteAuthorProperty] = "+4915112345678" },
        }, Options);
        Assert.Equal(2, requests.Count);
        Assert.Equal(1745372297238, requests[0].QuoteTimestamp);
        Assert.Equal("+4915112345678", requests[0].QuoteAuthor);
        Assert.Null(requests[1].QuoteTimestamp);
        Assert.All(requests, r => Assert.Equal(SignalTestChannel.BotNumber, r.Number));
    }

    [Theory]
    [InlineData(0, SendOutcome.Retry)]
    [InlineData(429, SendOutcome.Retry)]
    [InlineData(500, SendOutcome.Retry)]
    [InlineData(503, SendOutcome.Retry)]
    [InlineData(400, SendOutcome.PermanentFailure)]
    [InlineData(401, SendOutcome.PermanentFailure)]
    [InlineData(404, SendOutcome.PermanentFailure)]
    public void Send_failures_map_to_retry_or_dead_letter(int status, SendOutcome outcome)
    {
        var result = SignalMapper.ToFailedSendResult(new SignalApiResult<SignalSendResponse> { StatusCode = status, Error = "Failed to send message" }, SignalTestChannel.BotNumber);
        Assert.Equal(outcome, result.Outcome);
    }

    [Fact]
    public void A_400_that_reports_a_network_error_is_retried()
    {
        var result = SignalMapper.ToFailedSendResult(new SignalApiResult<SignalSendResponse> { StatusCode = 400, Error = "Failed to send message due to network error" }, SignalTestChannel.BotNumber);
        Assert.Equal(SendOutcome.Retry, result.Outcome);
    }

    [Fact]
    public void Options_report_every_problem_at_once()
    {
        SignalOptions.Parse(new Dictionary<string, string> { ["number"] = "0301234", ["mode"] = "push", ["typo"] = "x" }, out var errors);
        Assert.Contains(errors, e => e.StartsWith("config.api_base_url: required", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("config.number: must be a phone number in E.164", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("config.mode:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("config.typo: unknown setting", StringComparison.Ordinal));
        Assert.Equal(["api_base_url"], new SignalChannelAdapterFactory().EndpointConfigKeys);
    }
}
