using System.Text;
using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Slack.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Slack.Tests;

/// <summary>
/// Slash commands over HTTP. Payloads/slash_command.form is Slack's published example, form-encoded as Slack POSTs it:
/// Slack docs "Enabling interactivity with Slash commands" (https://api.slack.com/interactivity/slash-commands):
/// "This data will be sent with a Content-type header set as application/x-www-form-urlencoded" —
/// token=gIkuvaNzQIHg97ATvDxqgjtO, team_id=T0001, team_domain=example, enterprise_id=E0001,
/// enterprise_name=Globular%20Construct%20Inc, channel_id=C2147483705, channel_name=test, user_id=U2147483697,
/// user_name=Steve, command=/weather, text=94070, response_url=https://hooks.slack.com/commands/1234/5678,
/// trigger_id=13345224609.738474920.8088930838d88f008e0, api_app_id=A123456 (the older page
/// https://api.slack.com/slash-commands shows the same values: "token=gIkuvaNzQIHg97ATvDxqgjtO team_id=T0001
/// team_domain=example channel_id=C2147483705 channel_name=test user_id=U2147483697 user_name=Steve command=/weather
/// text=94070"; it adds that the response "must be returned within 3000ms of the request. Any non-200 response will
/// result in an error to the user"). It is signed with the same v0 signature as events.
/// </summary>
public sealed class SlackSlashCommandTests : IDisposable
{
    private const string Form = "application/x-www-form-urlencoded";
    private readonly TestChannel _channel = new();

    public void Dispose() => _channel.Dispose();

    private static byte[] Body() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Payloads", "slash_command.form"));

    private async Task<WebhookResult> PostAsync(byte[] body, string secret = TestChannel.SigningSecret)
    {
        await using var adapter = _channel.Create();
        var request = _channel.Signed(body, secret: secret, extraHeaders: new Dictionary<string, string> { ["Content-Type"] = Form });
        return await adapter.HandleWebhookAsync(request, CancellationToken.None);
    }

    [Fact]
    public async Task A_signed_slash_command_is_acknowledged_with_an_empty_200_and_accepted_as_a_message_to_its_channel()
    {
        var result = await PostAsync(Body());

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        Assert.True(result.ResponseBody.IsEmpty);
        var message = Assert.Single(result.Messages);
        Assert.Equal("command:13345224609.738474920.8088930838d88f008e0", message.ProviderMessageId);
        Assert.Equal("C2147483705", message.ExternalChatId);
        Assert.Null(message.ExternalThreadId);
        Assert.Equal("U2147483697", message.Sender.Value);
        Assert.Equal("slack", message.Sender.Provider);
        Assert.Equal(ChatKind.Group, message.ChatKind);
        Assert.True(message.AddressedToBot);
        Assert.Equal("/weather 94070", message.Text);
        Assert.Equal("/weather", message.Properties[SlackMapper.CommandProperty]);
        Assert.Equal("T0001", message.Properties[SlackMapper.TeamIdProperty]);
        Assert.DoesNotContain(message.Properties.Values, v => v.Contains("hooks.slack.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slash_command_with_a_wrong_signature_is_refused_with_401_and_nothing_accepted()
    {
        var result = await PostAsync(Body(), secret: "not-the-signing-secret");

        Assert.True(result.IsRejected);
        Assert.Equal(401, result.StatusCode);
        Assert.Empty(result.Messages);
    }

    [Fact]
    public async Task A_slash_command_in_a_dm_is_direct()
    {
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body())
            .Replace("channel_id=C2147483705", "channel_id=D0DMCHAN01", StringComparison.Ordinal)
            .Replace("channel_name=test", "channel_name=directmessage", StringComparison.Ordinal));

        var message = Assert.Single((await PostAsync(body)).Messages);
        Assert.Equal(ChatKind.Direct, message.ChatKind);
        Assert.Equal("D0DMCHAN01", message.ExternalChatId);
    }

    [Fact]
    public async Task Another_form_payload_is_answered_200_and_ignored()
    {
        var result = await PostAsync(Encoding.UTF8.GetBytes("payload=%7B%22type%22%3A%22block_actions%22%7D"));

        Assert.False(result.IsRejected);
        Assert.Equal(200, result.StatusCode);
        Assert.Empty(result.Messages);
    }
}
