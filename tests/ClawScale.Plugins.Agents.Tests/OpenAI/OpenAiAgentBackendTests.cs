using ClawScale.Plugins.Agents.Tests.Fakes;
using ClawScale.Plugins.Agents.Tests.Support;
using ClawScale.Plugins.Messages;
using ClawScale.Plugins.OpenAI;
using Xunit;

namespace ClawScale.Plugins.Agents.Tests.OpenAI;

public sealed class OpenAiAgentBackendTests : IAsyncLifetime
{
    private const string ApiKey = "sk-test-SECRET-0123456789";
    private readonly OpenAiAgentBackendFactory factory = new();
    private readonly TrackingFakeTimeProvider time = new(TestData.Start);
    private readonly CapturingLogger logger = new();
    private FakeOpenAiServer server = null!;

    public async Task InitializeAsync() => server = await FakeOpenAiServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    private IAgentBackend Create(params (string Key, string Value)[] extra)
    {
        var config = new Dictionary<string, string> { ["base_url"] = server.BaseUrl.ToString(), ["model"] = "gpt-test" };
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        return factory.Create(TestData.Context(config, new Dictionary<string, string> { ["api_key"] = ApiKey }, time, logger));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(0)]
    public async Task Streams_and_assembles_chunks_split_at_awkward_byte_boundaries(int chunkBytes)
    {
        const string text = "Grüße aus Zürich 👋 — the answer is 42.";
        server.Enqueue(FakeReply.Answer(text, chunkBytes));
        await using var backend = Create();

        var replies = await TestData.Bounded(TestData.CollectAsync(backend, TestData.Turn("hi")));

        Assert.Equal(text, Assert.Single(replies).Text);
        Assert.True(Assert.Single(server.Requests).Json["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Non_stream_answer_is_read_from_choices_message_content()
    {
        server.Enqueue(FakeReply.Answer("A plain answer."));
        await using var backend = Create(("stream", "false"));

        var replies = await TestData.Bounded(TestData.CollectAsync(backend, TestData.Turn("hi")));

        Assert.Equal("A plain answer.", Assert.Single(replies).Text);
        Assert.False(Assert.Single(server.Requests).Json["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Request_has_model_bearer_key_system_prompt_first_and_trimmed_history()
    {
        await using var backend = Create(("system_prompt", "Be brief."), ("history_window", "2"), ("temperature", "0.3"), ("max_tokens", "256"));
        var image = new MessageAttachment { Kind = AttachmentKind.Image, Url = "https://cdn.example.com/cat.png" };
        var turn = TestData.Turn(
            TestData.User("what is this?", image),
            TestData.User("old question"),
            TestData.Agent("old answer"),
            TestData.User("recent question"),
            TestData.Agent("recent answer"));

        await TestData.Bounded(TestData.CollectAsync(backend, turn));

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal($"Bearer {ApiKey}", request.Header("authorization"));
        var json = request.Json;
        Assert.Equal("gpt-test", json["model"]!.GetValue<string>());
        Assert.Equal(0.3, json["temperature"]!.GetValue<double>());
        Assert.Equal(256, json["max_tokens"]!.GetValue<int>());
        var messages = json["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("Be brief.", messages[0]!["content"]!.GetValue<string>());
        Assert.Equal("recent question", messages[1]!["content"]!.GetValue<string>());
        Assert.Equal("recent answer", messages[2]!["content"]!.GetValue<string>());
        var parts = messages[3]!["content"]!.AsArray();
        Assert.Equal("text", parts[0]!["type"]!.GetValue<string>());
        Assert.Equal("what is this?", parts[0]!["text"]!.GetValue<string>());
        Assert.Equal("image_url", parts[1]!["type"]!.GetValue<string>());
        Assert.Equal("https://cdn.example.com/cat.png", parts[1]!["image_url"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unauthorized_becomes_a_clear_agent_exception_without_the_key()
    {
        server.RequiredApiKey = "sk-the-right-one";
        await using var backend = Create();

        var error = await Assert.ThrowsAsync<AgentException>(() => TestData.Bounded(TestData.CollectAsync(backend, TestData.Turn("hi"))));

        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_api_key", error.Message, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key provided", error.Message, StringComparison.Ordinal);
        Assert.Contains("misconfigured", error.UserMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, error.UserMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Lines, line => line.Contains(ApiKey, StringComparison.Ordinal));
        Assert.Single(server.Requests); // 401 is not retried
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
        server.Enqueue(FakeReply.Error(429, "requests", "Rate limit reached for requests", retryAfter: "2", code: "rate_limit_exceeded"), FakeReply.Answer("Second time lucky."));
        await using var backend = Create();

        var task = TestData.CollectAsync(backend, TestData.Turn("hi"));
        await time.WaitForPendingDelayAsync(TimeSpan.FromSeconds(2));
        Assert.False(task.IsCompleted);
        Assert.Single(server.Requests);
        time.Advance(TimeSpan.FromSeconds(2));

        var replies = await TestData.Bounded(task);
        Assert.Equal("Second time lucky.", Assert.Single(replies).Text);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Server_error_twice_fails_after_exactly_one_retry()
    {
        server.Enqueue(FakeReply.Error(500, "server_error", "The server had an error"), FakeReply.Error(500, "server_error", "The server had an error again"));
        await using var backend = Create();

        var task = TestData.CollectAsync(backend, TestData.Turn("hi"));
        await time.WaitForPendingDelayAsync(TimeSpan.FromSeconds(1)); // no Retry-After: 1 s default
        time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<AgentException>(() => TestData.Bounded(task));
        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
        Assert.Contains("again", error.Message, StringComparison.Ordinal);
        Assert.Contains("temporarily unavailable", error.UserMessage, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Slow_provider_times_out_into_an_agent_exception()
    {
        server.Enqueue(FakeReply.Stalled());
        await using var backend = Create(("timeout_seconds", "30"));

        var task = TestData.CollectAsync(backend, TestData.Turn("hi"));
        await server.WaitForRequestsAsync(1);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(task.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<AgentException>(() => TestData.Bounded(task));
        Assert.Contains("within 30 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("too long", error.UserMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kernel_cancellation_is_not_reported_as_a_timeout()
    {
        server.Enqueue(FakeReply.Stalled());
        await using var backend = Create();
        using var cts = new CancellationTokenSource();

        var task = TestData.CollectAsync(backend, TestData.Turn("hi"), cts.Token);
        await server.WaitForRequestsAsync(1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TestData.Bounded(task));
    }

    [Fact]
    public async Task Error_in_the_middle_of_the_stream_fails_the_turn()
    {
        server.Enqueue(FakeReply.StreamError("partial ", "server_error", "stream broke"));
        await using var backend = Create();

        var error = await Assert.ThrowsAsync<AgentException>(() => TestData.Bounded(TestData.CollectAsync(backend, TestData.Turn("hi"))));
        Assert.Contains("stream broke", error.Message, StringComparison.Ordinal);
        Assert.Contains("temporarily unavailable", error.UserMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_cut_before_done_is_an_error()
    {
        server.Enqueue(FakeReply.Answer("half an answer") with { Truncate = true });
        await using var backend = Create();

        var error = await Assert.ThrowsAsync<AgentException>(() => TestData.Bounded(TestData.CollectAsync(backend, TestData.Turn("hi"))));
        Assert.Contains("[DONE]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Long_answer_is_split_into_several_messages_at_paragraphs()
    {
        var paragraph = new string('x', 3000);
        server.Enqueue(FakeReply.Answer($"{paragraph}\n\n{paragraph}"));
        await using var backend = Create();

        var replies = await TestData.Bounded(TestData.CollectAsync(backend, TestData.Turn("hi")));
        Assert.Equal([paragraph, paragraph], replies.Select(r => r.Text));
    }

    [Fact]
    public async Task Loopback_base_url_needs_no_key_and_sends_no_authorization()
    {
        var config = new Dictionary<string, string> { ["base_url"] = server.BaseUrl.ToString(), ["model"] = "llama3.2" };
        Assert.Empty(factory.Validate(config, new Dictionary<string, string>()));
        await using var backend = factory.Create(TestData.Context(config, timeProvider: time));

        await TestData.Bounded(TestData.CollectAsync(backend, TestData.Turn("hi")));

        Assert.Null(Assert.Single(server.Requests).Header("authorization"));
    }

    [Fact]
    public void Validate_reports_missing_model_and_api_key_by_field_name()
    {
        var problems = factory.Validate(new Dictionary<string, string> { ["temperature"] = "7" }, new Dictionary<string, string>());
        Assert.Contains(problems, p => p.StartsWith("config.model: required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("credentials.api_key: required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("config.temperature: must be a number from 0 to 2", StringComparison.Ordinal));
        Assert.Equal(3, problems.Count);
        Assert.Empty(factory.Validate(new Dictionary<string, string> { ["model"] = "gpt-4o-mini" }, new Dictionary<string, string> { ["api_key"] = "k" }));
    }

    [Fact]
    public void Options_text_never_shows_the_key()
    {
        var options = OpenAiOptions.Parse(new Dictionary<string, string> { ["model"] = "m" }, new Dictionary<string, string> { ["api_key"] = ApiKey }, out _);
        Assert.DoesNotContain(ApiKey, options.ToString(), StringComparison.Ordinal);
        Assert.Equal(ApiKey, options.ApiKey);
    }
}
