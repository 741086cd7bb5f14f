using ClawScale.Plugins.Telegram.Model;
using ClawScale.Plugins.Telegram.Tests.Fakes;
using ClawScale.Plugins.Telegram.Tests.Support;
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

    [Fact]
    public async Task GetMe_parses_the_envelope()
    {
        var me = await Client().GetMeAsync(CancellationToken.None);
        Assert.True(me.Ok);
        Assert.Equal(7000000001, me.Value!.Id);
        Assert.True(me.Value.IsBot);
        Assert.Equal("yourbot", me.Value.Username);
    }

    [Fact]
    public async Task GetFile_and_BuildFileUri_give_the_download_address()
    {
        var client = Client();
        var file = await client.GetFileAsync("BQACAgIAAxkBAAIBaGReport", CancellationToken.None);
        Assert.True(file.Ok);
        Assert.Equal("BQACAgIAAxkBAAIBaGReport", Assert.Single(_api.CallsTo("getFile")).Parameter("file_id"));
        var uri = client.BuildFileUri(file.Value!.FilePath!);
        Assert.Equal(new Uri(_api.BaseUrl, $"/file/bot{TestChannel.Token}/documents/file_0.pdf"), uri);
        Assert.Equal("see <token>", client.Redact($"see {TestChannel.Token}"));
    }

    [Fact]
    public async Task Error_envelope_is_parsed_with_its_parameters()
    {
        _api.FailNextSends(1, 429, "Too Many Requests: retry after 12", retryAfter: 12);
        var result = await Client().SendMessageAsync(new SendMessageRequest { ChatId = "@mychannel", Text = "x" }, CancellationToken.None);
        Assert.False(result.Ok);
        Assert.False(result.IsTransportFailure);
        Assert.Equal(429, result.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(12), result.RetryAfter);
        Assert.Equal("@mychannel", Assert.Single(_api.CallsTo("sendMessage")).Parameter("chat_id"));
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
}
