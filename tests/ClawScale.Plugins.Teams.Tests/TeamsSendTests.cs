using ClawScale.Plugins.Channels;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.Teams.Tests.Fakes;
using ClawScale.Plugins.Teams.Tests.Support;
using Xunit;

namespace ClawScale.Plugins.Teams.Tests;

/// <summary>
/// <see cref="TeamsChannelAdapter.SendAsync"/> against a fake token endpoint and Connector on 127.0.0.1: the reply URL
/// and body (Bot Connector API "Send and receive messages": <c>POST /v3/conversations/{id}/activities/{activityId}</c>),
/// the client-credentials token (cached by the channel clock, refreshed once on 401), and the Teams status codes mapped to
/// retry or dead letter (Teams docs "Status codes from bot conversational APIs").
/// </summary>
public sealed class TeamsSendTests : IAsyncLifetime, IDisposable
{
    private const string Conversation = "19:aebd0ad4d6ab42c8b9ed19c251c2fc37@thread.skype;messageid=1481567603816";
    private readonly TestChannel _channel = new();
    private FakeBotFramework _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeBotFramework.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _channel.Dispose();

    private OutboundMessage Reply(string text = "echo: hi", string? serviceUrl = null) => new()
    {
        DeliveryId = "dl_1",
        IdempotencyKey = "k1",
        ExternalChatId = Conversation,
        Text = text,
        ReplyToPlatformMessageId = "1481567603816",
        Properties = new Dictionary<string, string> { ["service_url"] = serviceUrl ?? _fake.ServiceUrl },
    };

    [Fact]
    public async Task A_reply_is_posted_to_the_activity_with_a_client_credentials_token()
    {
        var adapter = _channel.Create(_fake);

        var result = await adapter.SendAsync(Reply(), default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.NotNull(result.ProviderMessageId);
        var call = Assert.Single(_fake.Calls);
        Assert.Equal(Conversation, call.ConversationId);
        Assert.Equal("1481567603816", call.ReplyToId);
        Assert.Equal("Bearer fake-connector-token-1", call.Authorization);
        Assert.Equal("message", call.Field("type"));
        Assert.Equal("echo: hi", call.Field("text"));
        var token = Assert.Single(_fake.TokenRequests);
        Assert.Equal("botframework.com", token.Tenant);
        Assert.Equal("client_credentials", token.Form["grant_type"]);
        Assert.Equal(_fake.AppId, token.Form["client_id"]);
        Assert.Equal("https://api.botframework.com/.default", token.Form["scope"]);
        Assert.DoesNotContain(_channel.Logger.Lines, l => l.Contains(_fake.AppPassword, StringComparison.Ordinal) || l.Contains("fake-connector-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_token_is_reused_until_five_minutes_before_it_expires()
    {
        var adapter = _channel.Create(_fake);
        Assert.Equal(SendOutcome.Delivered, (await adapter.SendAsync(Reply(), default)).Outcome);
        _channel.Time.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal(SendOutcome.Delivered, (await adapter.SendAsync(Reply(), default)).Outcome);
        Assert.Single(_fake.TokenRequests);

        _channel.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(SendOutcome.Delivered, (await adapter.SendAsync(Reply(), default)).Outcome);
        Assert.Equal(2, _fake.TokenRequests.Count);
        Assert.Equal("Bearer fake-connector-token-2", _fake.Calls[^1].Authorization);
    }

    [Fact]
    public async Task A_401_fetches_a_new_token_once_and_the_send_succeeds()
    {
        var adapter = _channel.Create(_fake);
        Assert.Equal(SendOutcome.Delivered, (await adapter.SendAsync(Reply(), default)).Outcome);
        _fake.RevokeIssuedTokens();

        var result = await adapter.SendAsync(Reply(), default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        Assert.Equal(2, _fake.TokenRequests.Count);
        Assert.Equal([200, 401, 200], _fake.Calls.Select(c => c.Status));
    }

    [Fact]
    public async Task A_401_after_the_refresh_is_dead_lettered_and_reported_on_the_channel()
    {
        var adapter = _channel.Create(_fake);
        _fake.FailNextConnectorCalls(2, 401, "BotNotRegistered");

        var result = await adapter.SendAsync(Reply(), default);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("BotNotRegistered", result.Error);
        Assert.Contains("config.app_id", result.Error);
        Assert.Equal(2, _fake.Calls.Count);
        Assert.Single(_channel.Status.Errors);
    }

    public static TheoryData<int, string?, int?, SendOutcome, string> Failures => new()
    {
        { 429, "Throttled", 7, SendOutcome.Retry, "rate limit" },
        { 503, null, 3, SendOutcome.Retry, "transient" },
        { 412, "PreconditionFailed", null, SendOutcome.Retry, "transient" },
        { 502, "ServiceError", null, SendOutcome.Retry, "transient" },
        { 504, null, null, SendOutcome.Retry, "transient" },
        { 404, "ConversationNotFound", null, SendOutcome.PermanentFailure, "no longer exists" },
        { 403, "BotNotInConversationRoster", null, SendOutcome.PermanentFailure, "reinstall" },
        { 403, "ConversationBlockedByUser", null, SendOutcome.PermanentFailure, "until the user or tenant admin" },
        { 403, "InvalidBotApiHost", null, SendOutcome.PermanentFailure, "config.service_url_hosts" },
        { 413, "MessageSizeTooBig", null, SendOutcome.PermanentFailure, "too large" },
        { 400, "BadArgument", null, SendOutcome.PermanentFailure, "refused the activity" },
        { 500, "ServiceError", null, SendOutcome.PermanentFailure, "refused" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Connector_errors_map_to_retry_or_dead_letter(int status, string? code, int? retryAfter, SendOutcome outcome, string errorContains)
    {
        var adapter = _channel.Create(_fake);
        _fake.FailNextConnectorCalls(1, status, code, retryAfter);

        var result = await adapter.SendAsync(Reply(), default);

        Assert.Equal(outcome, result.Outcome);
        Assert.Contains(errorContains, result.Error);
        if (code is not null)
            Assert.Contains(code, result.Error);
        Assert.Equal(retryAfter is null ? null : TimeSpan.FromSeconds(retryAfter.Value), result.RetryAfter);
    }

    [Fact]
    public async Task Wrong_app_credentials_dead_letter_the_send_and_fail_connect_with_what_to_fix()
    {
        var adapter = _channel.Create(_fake, appPassword: "not-the-password");

        var result = await adapter.SendAsync(Reply(), default);
        var connect = await Assert.ThrowsAsync<InvalidOperationException>(async () => await adapter.ConnectAsync(default));

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("invalid_client", result.Error);
        Assert.Contains("credentials.app_password", result.Error);
        Assert.DoesNotContain("not-the-password", result.Error);
        Assert.Contains("invalid_client", connect.Message);
        Assert.Empty(_fake.Calls);
        Assert.Equal(2, _channel.Status.Errors.Count);
    }

    [Fact]
    public async Task Connect_with_good_credentials_reports_the_channel_connected()
    {
        var adapter = _channel.Create(_fake);
        await adapter.ConnectAsync(default);
        Assert.Equal(1, _channel.Status.ConnectedReports);
    }

    [Theory]
    [InlineData("https://evil.example.com/amer/", "not in config.service_url_hosts")]
    [InlineData("https://smba.trafficmanager.net.evil.example.com/", "not in config.service_url_hosts")]
    [InlineData("ftp://127.0.0.1/amer/", "not an https URL")]
    public async Task A_service_url_outside_the_allow_list_gets_no_token_and_is_dead_lettered(string serviceUrl, string errorContains)
    {
        var adapter = _channel.Create(_fake, c => c["service_url_hosts"] = "smba.trafficmanager.net,127.0.0.1");

        var result = await adapter.SendAsync(Reply(serviceUrl: serviceUrl), default);

        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains(errorContains, result.Error);
        Assert.Empty(_fake.TokenRequests);
        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public async Task Http_service_urls_are_refused_unless_allowed()
    {
        var adapter = _channel.Create(_fake, c => c.Remove("allow_http_service_url"));
        var result = await adapter.SendAsync(Reply(), default);
        Assert.Equal(SendOutcome.PermanentFailure, result.Outcome);
        Assert.Contains("not an https URL", result.Error);
        Assert.Empty(_fake.Calls);
    }

    [Fact]
    public async Task A_proactive_message_without_a_service_url_uses_the_configured_default_or_is_dead_lettered()
    {
        var proactive = Reply() with { Properties = new Dictionary<string, string>(), ReplyToPlatformMessageId = null };

        var without = await _channel.Create(_fake).SendAsync(proactive, default);
        Assert.Equal(SendOutcome.PermanentFailure, without.Outcome);
        Assert.Contains("config.default_service_url", without.Error);

        var with = await _channel.Create(_fake, c => c["default_service_url"] = _fake.ServiceUrl).SendAsync(proactive, default);
        Assert.Equal(SendOutcome.Delivered, with.Outcome);
        var call = Assert.Single(_fake.Calls);
        Assert.Null(call.ReplyToId);
    }

    [Fact]
    public async Task A_long_text_is_sent_as_several_activities_and_images_in_their_own()
    {
        var adapter = _channel.Create(_fake);
        var text = string.Join("\n\n", Enumerable.Repeat(new string('x', 3000), 4));
        var message = Reply(text) with
        {
            Attachments =
            [
                new MessageAttachment { Kind = AttachmentKind.Image, Url = "https://example.com/cat.png", MimeType = "image/png", FileName = "cat.png" },
                new MessageAttachment { Kind = AttachmentKind.Document, Url = "https://example.com/report.pdf", FileName = "report.pdf" },
            ],
        };

        var result = await adapter.SendAsync(message, default);

        Assert.Equal(SendOutcome.Delivered, result.Outcome);
        var calls = _fake.Calls;
        Assert.Equal(3, calls.Count);
        Assert.All(calls.Take(2), c => Assert.True(c.Field("text")!.Length <= 7000));
        Assert.Contains("[report.pdf](https://example.com/report.pdf)", calls[1].Field("text"));
        var attachment = calls[2].Json!.Value.GetProperty("attachments")[0];
        Assert.Equal("https://example.com/cat.png", attachment.GetProperty("contentUrl").GetString());
        Assert.Equal("image/png", attachment.GetProperty("contentType").GetString());
        Assert.Single(_fake.TokenRequests);
    }
}
