using ClawScale.Plugins.Agents.Tests.Support;
using ClawScale.Plugins.Echo;
using ClawScale.Plugins.Messages;
using Xunit;

namespace ClawScale.Plugins.Agents.Tests.Echo;

public sealed class EchoAgentBackendTests
{
    private readonly EchoAgentBackendFactory factory = new();

    private static Dictionary<string, string> Config(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public async Task Echoes_text_with_default_prefix()
    {
        await using var backend = factory.Create(TestData.Context(Config()));
        var replies = await TestData.CollectAsync(backend, TestData.Turn("hello there"));
        Assert.Equal("echo: hello there", Assert.Single(replies).Text);
        Assert.Equal("echo", factory.Kind);
    }

    [Fact]
    public async Task Custom_prefix_and_attachment_count()
    {
        await using var backend = factory.Create(TestData.Context(Config(("prefix", ">> "))));
        var image = new MessageAttachment { Kind = AttachmentKind.Image, Url = "https://example.com/a.png" };
        var document = new MessageAttachment { Kind = AttachmentKind.Document, ProviderFileId = "f1" };

        var withText = await TestData.CollectAsync(backend, TestData.Turn(TestData.User("look", image, document)));
        var onlyFile = await TestData.CollectAsync(backend, TestData.Turn(TestData.User(null, image)));

        Assert.Equal(">> look\nreceived 2 attachments", Assert.Single(withText).Text);
        Assert.Equal(">> received 1 attachment", Assert.Single(onlyFile).Text);
    }

    [Fact]
    public async Task Reply_count_produces_numbered_messages()
    {
        await using var backend = factory.Create(TestData.Context(Config(("reply_count", "3"))));
        var replies = await TestData.CollectAsync(backend, TestData.Turn("hi"));
        Assert.Equal(["echo: hi (1/3)", "echo: hi (2/3)", "echo: hi (3/3)"], replies.Select(r => r.Text));
    }

    [Fact]
    public async Task Delay_waits_on_the_time_provider_before_each_reply()
    {
        var time = new TrackingFakeTimeProvider(TestData.Start);
        await using var backend = factory.Create(TestData.Context(Config(("delay_ms", "1500"), ("reply_count", "2")), timeProvider: time));
        await using var replies = backend.RespondAsync(TestData.Turn("slow"), CancellationToken.None).GetAsyncEnumerator();

        var first = replies.MoveNextAsync().AsTask();
        await time.WaitForPendingDelayAsync(TimeSpan.FromMilliseconds(1500));
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.True(await TestData.Bounded(first));
        Assert.Equal("echo: slow (1/2)", replies.Current.Text);
    }

    [Fact]
    public void Validate_names_each_bad_field()
    {
        var problems = factory.Validate(Config(("reply_count", "9"), ("delay_ms", "-1"), ("prefx", "x")), new Dictionary<string, string>());
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("config.reply_count:", StringComparison.Ordinal) && p.Contains("1 to 5", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.delay_ms:", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.prefx: unknown", StringComparison.Ordinal));
        Assert.Empty(factory.Validate(Config(("reply_count", "5")), new Dictionary<string, string>()));
    }
}
