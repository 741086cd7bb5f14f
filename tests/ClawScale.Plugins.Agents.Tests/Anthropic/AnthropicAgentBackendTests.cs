using ClawScale.Plugins.Agents.Tests.Fakes;
using ClawScale.Plugins.Agents.Tests.Support;
using ClawScale.Plugins.Anthropic;
using ClawScale.Plugins.Messages;
using Xunit;

namespace ClawScale.Plugins.Agents.Tests.Anthropic;

public sealed class AnthropicAgentBackendTests : IAsyncLifetime
{
    private const string ApiKey = "sk-ant-test-SECRET-0123456789";
    private readonly AnthropicAgentBackendFactory factory = new();
    private readonly TrackingFakeTimeProvider time = new(TestData.Start);
    private readonly CapturingLogger logger = new();
    private FakeAnthropicServer server = null!;

    public async Task InitializeAsync() => server = await FakeAnthropicServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private IAgentBackend Create(params (string Key, string Value)[] extra)
    {
        var config = new Dictionary<string, string> { ["base_url"] = server.BaseUrl.ToString(), ["model"] = "claude-test" };
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        return factory.Create(TestData.Context(config, new Dictionary<string, string> { ["api_key"] = ApiKey }, time, logger));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(0)]
    public async Task Streams_text_deltas_split_at_awkward_byte_boundaries(int chunkBytes)
    {
        const string text = "Bonjour à tous 🙂 — voilà la réponse.";
        server.Enqueue(FakeReply.Answer(text, chunkBytes));
        await using var backend = Create();

        var replies = await TestData.Bounded(TestData.CollectAsync(backend, TestData.Turn("salut")));

        Assert.Equal(text, Assert.Single(replies).Text);
        Assert.True(Assert.Single(server.Requests).Json["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Non_stream_answer_is_read_from_text_content_blocks()
    {
        server.Enqueue(FakeReply.Answer("A plain answer."));
        await using var backend = Create(("stream", "false"));

        var replies = await TestData.Bounded(TestData.CollectAsync(backend, TestData.Turn("hi")));

        Assert.Equal("A plain answer.", Assert.Single(replies).Text);
        Assert.False(Assert.Single(server.Requests).Json["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Request_has_headers_top_level_system_default_max_tokens_and_alternating_roles()
    {
        await using var backend = Create(("system_prompt", "Be brief."), ("history_window", "5"));
        var image = new MessageAttachment { Kind = AttachmentKind.Image, Url = "https://cdn.example.com/cat.png" };
        var turn = TestData.Turn(
            TestData.User("and this?", image),
            TestData.User("dropped by the window"),
            TestData.Agent("assistant first after trimming: dropped"),
            TestData.User("q1"),
            TestData.Notice("kernel notice: skipped"),
            TestData.User("q1 again"),
            TestData.Agent("a1"));

        await TestData.Bounded(TestData.CollectAsync(backend, turn));

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal(ApiKey, request.Header("x-api-key"));
        Assert.Equal("2023-06-01", request.Header("anthropic-version"));
        Assert.Null(request.Header("authorization"));
        var json = request.Json;
        Assert.Equal("claude-test", json["model"]!.GetValue<string>());
        Assert.Equal(1024, json["max_tokens"]!.GetValue<int>());
        Assert.Equal("Be brief.", json["system"]!.GetValue<string>());
        var messages = json["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal(["q1", "q1 again"], messages[0]!["content"]!.AsArray().Select(b => b!["text"]!.GetValue<string>()));
        Assert.Equal("a1", messages[1]!["content"]![0]!["text"]!.GetValue<string>());
        var last = messages[2]!["content"]!.AsArray();
        Assert.Equal("image", last[0]!["type"]!.GetValue<string>());
        Assert.Equal("url", last[0]!["source"]!["type"]!.GetValue<string>());
        Assert.Equal("https://cdn.example.com/cat.png", last[0]!["source"]!["url"]!.GetValue<string>());
        Assert.Equal("and this?", last[1]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unauthorized_becomes_a_clear_agent_exception_without_the_key()
    {
        server.RequiredApiKey = "sk-ant-the-right-one";
        await using var backend = Create();

        var error = await Assert.ThrowsAsync<AgentException>(() => TestData.Bounded(TestData.CollectAsync(backend, TestData.Turn("hi"))));

        Assert.Contains("HTTP 401 (authentication_error): invalid x-api-key", error.Message, StringComparison.Ordinal);
        Assert.Contains("misconfigured", error.UserMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, error.UserMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Lines, line => line.Contains(ApiKey, StringComparison.Ordinal));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_client_error_without_an_error_envelope_is_reported_by_status_only()
    {
        server.Enqueue(FakeReply.Raw(403, "<html>internal gateway: AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG</html>"));
        await using var backend = Create();

        var error = await Assert.ThrowsAsync<AgentException>(() => TestData.Bounded(TestData.CollectAsync(backend, TestData.Turn("hi"))));

        Assert.EndsWith("answered HTTP 403 Forbidden", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AWS_SECRET", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Lines, line => line.Contains("AWS_SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rate_limited_with_retry_after_is_retried_once_after_that_delay()
    {
        server.Enqueue(FakeReply.Error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", retryAfter: "3"), FakeReply.Answer("Made it."));
        await using var backend = Create();

        var task = TestData.CollectAsync(backend, TestData.Turn("hi"));
        await time.WaitForPendingDelayAsync(TimeSpan.FromSeconds(3));
        Assert.False(task.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal("Made it.", Assert.Single(await TestData.Bounded(task)).Text);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Overloaded_529_twice_fails_with_an_unavailable_message()
    {
        server.Enqueue(FakeReply.Error(529, "overloaded_error", "Overloaded"), FakeReply.Error(529, "overloaded_error", "Overloaded"));
        await using var backend = Create();

        var task = TestData.CollectAsync(backend, TestData.Turn("hi"));
        await time.WaitForPendingDelayAsync(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<AgentException>(() => TestData.Bounded(task));
        Assert.Contains("HTTP 529 (overloaded_error): Overloaded", error.Message, StringComparison.Ordinal);
        Assert.Contains("temporarily unavailable", error.UserMessage, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Rate_limited_twice_tells_the_user_to_try_again_shortly()
    {
        server.Enqueue(FakeReply.Error(429, "rate_limit_error", "slow down", retryAfter: "120"), FakeReply.Error(429, "rate_limit_error", "slow down"));
        await using var backend = Create(("timeout_seconds", "120"));

        var task = TestData.CollectAsync(backend, TestData.Turn("hi"));
        await time.WaitForPendingDelayAsync(TimeSpan.FromSeconds(30)); // Retry-After 120 s is capped at 30 s
        time.Advance(TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<AgentException>(() => TestData.Bounded(task));
        Assert.Contains("try again shortly", error.UserMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slow_provider_times_out_into_an_agent_exception()
    {
        server.Enqueue(FakeReply.Stalled());
        await using var backend = Create();

        var task = TestData.CollectAsync(backend, TestData.Turn("hi"));
        await server.WaitForRequestsAsync(1);
        time.Advance(TimeSpan.FromSeconds(60));

        var error = await Assert.ThrowsAsync<AgentException>(() => TestData.Bounded(task));
        Assert.Contains("within 60 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("too long", error.UserMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_event_in_the_stream_fails_the_turn()
    {
        server.Enqueue(FakeReply.StreamError("partial ", "overloaded_error", "Overloaded"));
        await using var backend = Create();

        var error = await Assert.ThrowsAsync<AgentException>(() => TestData.Bounded(TestData.CollectAsync(backend, TestData.Turn("hi"))));
        Assert.Contains("overloaded_error", error.Message, StringComparison.Ordinal);
        Assert.Contains("temporarily unavailable", error.UserMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_cut_before_message_stop_is_an_error()
    {
        server.Enqueue(FakeReply.Answer("half an answer") with { Truncate = true });
        await using var backend = Create();

        var error = await Assert.ThrowsAsync<AgentException>(() => TestData.Bounded(TestData.CollectAsync(backend, TestData.Turn("hi"))));
        Assert.Contains("message_stop", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_reports_missing_model_and_api_key_by_field_name()
    {
        var problems = factory.Validate(new Dictionary<string, string> { ["base_url"] = "ftp://nope" }, new Dictionary<string, string>());
        Assert.Contains(problems, p => p.StartsWith("config.model: required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.api_key: required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.base_url: must be an absolute http or https URL", StringComparison.Ordinal));
        Assert.Equal(3, problems.Count);
        Assert.Empty(factory.Validate(new Dictionary<string, string> { ["model"] = "claude-sonnet-4-5" }, new Dictionary<string, string> { ["api_key"] = "k" }));
    }
}
