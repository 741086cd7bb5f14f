using ClawScale.Plugins.Telegram.Tests.Fakes;
using ClawScale.Plugins.Telegram.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Telegram.Bot.Requests;
using Xunit;

namespace ClawScale.Plugins.Telegram.Tests;

public sealed class TelegramApiClientTests : IAsyncLifetime
{
    private readonly TestChannel _channel = new();
    private FakeTelegramBotApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeTelegramBotApi.StartAsync(TestChannel.Token);

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _channel.Dispose();
    }

    private TelegramApiClient Client(string token = TestChannel.Token) =>
        new(_channel.Http, _api.BaseUrl, token, TimeSpan.FromSeconds(30), _channel.Time, _channel.Logger);

    private static TelegramSendStep Text(string chatId, string text) => new() { Text = new SendMessageRequest { ChatId = chatId, Text = text } };

    [Fact]
    public async Task GetMe_parses_the_envelope()
    {
        var me = await Client().GetMeAsync(CancellationToken.None);
        Assert.True(me.Ok);
        Assert.Equal(7000000001, me.Value!.Id);
        Assert.True(me.Value.IsBot);
        Assert.Equal("yourbot", me.Value.Username);
        Assert.Equal(TestChannel.Token, Assert.Single(_api.CallsTo("getMe")).Token);
    }

    [Fact]
    public async Task Error_envelope_is_parsed_with_its_parameters()
    {
        _api.FailNextSends(1, 429, "Too Many Requests: retry after 12", retryAfter: 12);
        var result = await Client().SendAsync(Text("@mychannel", "x"), CancellationToken.None);
        Assert.False(result.Ok);
        Assert.False(result.IsTransportFailure);
        Assert.Equal(429, result.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(12), result.RetryAfter);
        Assert.Equal("@mychannel", Assert.Single(_api.CallsTo("sendMessage")).Parameter("chat_id"));
    }

    [Fact]
    public async Task Flood_control_is_handed_back_at_once_and_never_retried_by_Telegram_Bot()
    {
        // Telegram.Bot's default would wait retry_after (≤ 60 s) and send again; the kernel must get the 429 instead.
        _api.FailNextSends(1, 429, "Too Many Requests: retry after 1", retryAfter: 1);
        var result = await Client().SendAsync(Text("111111111", "x"), CancellationToken.None);
        Assert.Equal(429, result.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(1), result.RetryAfter);
        Assert.Single(_api.CallsTo("sendMessage"));
    }

    [Fact]
    public async Task Migrated_group_carries_the_new_chat_id()
    {
        _api.FailNextSends(1, 400, "Bad Request: group chat was upgraded to a supergroup chat", migrateToChatId: -1001122334455);
        var result = await Client().SendAsync(Text("-4455", "x"), CancellationToken.None);
        Assert.Equal(400, result.ErrorCode);
        Assert.Equal(-1001122334455, result.MigrateToChatId);
        Assert.Null(result.RetryAfter);
    }

    [Theory]
    [InlineData("text/html", "<html><body>proxy error, upstream secret: db_password=hunter2-secret</body></html>")]
    [InlineData("application/json", "{\"message\":\"db_password=hunter2-secret\"}")]
    public async Task A_non_envelope_error_body_is_not_echoed(string contentType, string body)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.Run(async http =>
        {
            http.Response.StatusCode = 403;
            http.Response.ContentType = contentType;
            await http.Response.WriteAsync(body);
        });
        await app.StartAsync();

        var result = await new TelegramApiClient(_channel.Http, new Uri(app.Urls.First()), TestChannel.Token, TimeSpan.FromSeconds(30), _channel.Time, _channel.Logger)
            .GetMeAsync(CancellationToken.None);

        Assert.True(result.IsTransportFailure);
        Assert.Equal(403, result.ErrorCode);
        Assert.Contains("HTTP 403", result.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(_channel.Logger.Lines, line => line.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_token_is_401()
    {
        var result = await Client("7000000001:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ").GetMeAsync(CancellationToken.None);
        Assert.Equal(401, result.ErrorCode);
        Assert.Equal("Unauthorized", result.Description);
    }

    [Fact]
    public async Task Caller_cancellation_throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client().GetMeAsync(cts.Token));
    }

    [Fact]
    public async Task A_call_without_an_answer_times_out_on_the_channel_clock()
    {
        var client = Client();
        var poll = client.GetUpdatesAsync(new GetUpdatesRequest { Timeout = 50 }, CancellationToken.None);
        await TestChannel.WaitUntilAsync(() => _api.ActiveGetUpdates == 1, "the long poll to reach the fake");
        await _channel.AdvancePastNextDelayAsync(TimeSpan.FromSeconds(60));
        var result = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(result.Ok);
        Assert.True(result.IsTransportFailure);
        Assert.Contains("no answer within 60 s", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_removes_the_token()
    {
        Assert.Equal("see <token>/getMe", Client().Redact($"see {TestChannel.Token}/getMe"));
    }
}
