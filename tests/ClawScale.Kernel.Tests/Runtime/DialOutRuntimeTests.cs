using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Tests.Runtime;

/// <summary>
/// Dial-out runtimes (agent kind <c>grpc-runtime</c>): the kernel calls <c>AgentRuntime.HandleTurn</c> on a fake runtime
/// (a real Kestrel HTTP/2 server on Grpc.AspNetCore) for web chat turns, with the credential
/// token as bearer metadata, retries of UNAVAILABLE and a deadline.
/// </summary>
public sealed class DialOutRuntimeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private const string Token = "rt-token-5f1c2b9e7d";

    [Fact]
    public async Task A_web_chat_turn_reaches_the_runtime_with_history_and_bearer_token_and_its_reply_reaches_the_visitor()
    {
        await using var runtime = await FakeRuntimeServer.StartAsync((request, _, _) =>
            Task.FromResult(Reply("You said: " + request.Turn.Message.Text)));
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (tenant, auth, agentId, channelId) = await SetUpAsync(kernel, runtime.Address.ToString(), token: Token);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        const string visitor = "visitorDIAL1AAAAAAAAAAAAA";

        await PostAsync(http, channelId, visitor, "hello runtime", "1");
        Assert.Equal("You said: hello runtime", await WaitForReplyAsync(http, channelId, visitor, r => r.StartsWith("You said: hello", StringComparison.Ordinal)));
        await PostAsync(http, channelId, visitor, "second", "2");
        await WaitForReplyAsync(http, channelId, visitor, r => r == "You said: second");

        var calls = runtime.State.Calls.ToArray();
        Assert.Equal(2, calls.Length);
        var first = calls[0].Request.Turn;
        Assert.Equal("hello runtime", first.Message.Text);
        Assert.Equal(MessageRole.User, first.Message.Role);
        Assert.Equal(agentId, first.AgentId);
        Assert.Equal(tenant, first.TenantId);
        Assert.Empty(first.History);
        Assert.Equal(1, first.Attempt);
        Assert.False(string.IsNullOrEmpty(first.Conversation.Id));
        Assert.All(calls, c => Assert.Equal("Bearer " + Token, c.Authorization));

        var second = calls[1].Request.Turn;
        Assert.Equal("second", second.Message.Text);
        Assert.Equal(["hello runtime", "You said: hello runtime"], second.History.Select(m => m.Text).ToArray());
        Assert.Equal([MessageRole.User, MessageRole.Agent], second.History.Select(m => m.Role).ToArray());
        Assert.Equal(first.Conversation.Id, second.Conversation.Id);

        var turns = (await kernel.Admin.ListTurnsAsync(new ListTurnsRequest { Status = TurnStatus.Completed }, auth)).Turns;
        Assert.Equal(2, turns.Count);
        Assert.Equal(calls.Select(c => c.Request.Turn.TurnId).Order(), turns.Select(t => t.Id).Order());
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task Unavailable_twice_then_ok_is_retried_and_delivers_one_reply()
    {
        await using var runtime = await FakeRuntimeServer.StartAsync((_, call, _) => call <= 2
            ? throw new RpcException(new Status(StatusCode.Unavailable, "warming up"))
            : Task.FromResult(Reply("third time lucky")));
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, auth, _, channelId) = await SetUpAsync(kernel, runtime.Address.ToString());
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        const string visitor = "visitorDIAL2AAAAAAAAAAAAA";

        await PostAsync(http, channelId, visitor, "retry me", "1");
        await WaitForReplyAsync(http, channelId, visitor, r => r == "third time lucky");

        var calls = runtime.State.Calls.ToArray();
        Assert.Equal(3, calls.Length);
        Assert.Single(calls.Select(c => c.Request.Turn.TurnId).Distinct());
        Assert.All(calls, c => Assert.Null(c.Authorization));
        var turn = Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest(), auth)).Turns);
        Assert.Equal(TurnStatus.Completed, turn.Status);
        Assert.Equal(["third time lucky"], await RepliesAsync(http, channelId, visitor));
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_runtime_that_is_down_gives_an_apology_and_a_failed_turn_with_the_status()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, auth, agentId, channelId) = await SetUpAsync(kernel, KernelHost.UnreachablePlatformUrl, token: Token);
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        const string visitor = "visitorDIAL3AAAAAAAAAAAAA";

        await PostAsync(http, channelId, visitor, "anyone there?", "1");
        var apology = await WaitForReplyAsync(http, channelId, visitor, _ => true);
        Assert.StartsWith("Sorry", apology, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", apology, StringComparison.Ordinal);

        var turn = Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest { Status = TurnStatus.Failed }, auth)).Turns);
        Assert.Equal(agentId, turn.AgentId);
        Assert.Contains("UNAVAILABLE", turn.LastError, StringComparison.Ordinal);
        Assert.Contains("3 attempts", turn.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, turn.LastError, StringComparison.Ordinal);
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_runtime_slower_than_timeout_seconds_fails_the_turn_with_deadline_exceeded()
    {
        await using var runtime = await FakeRuntimeServer.StartAsync(async (_, _, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), ct);
            return Reply("too late");
        });
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, auth, _, channelId) = await SetUpAsync(kernel, runtime.Address.ToString(), timeoutSeconds: "1");
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        const string visitor = "visitorDIAL4AAAAAAAAAAAAA";

        await PostAsync(http, channelId, visitor, "take your time", "1");
        var apology = await WaitForReplyAsync(http, channelId, visitor, _ => true);
        Assert.StartsWith("Sorry", apology, StringComparison.Ordinal);
        var turn = Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest { Status = TurnStatus.Failed }, auth)).Turns);
        Assert.Contains("DEADLINE_EXCEEDED", turn.LastError, StringComparison.Ordinal);
        Assert.Single(runtime.State.Calls);
        Assert.DoesNotContain("too late", await RepliesAsync(http, channelId, visitor));
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task A_handled_error_from_the_runtime_fails_the_turn_with_it()
    {
        await using var runtime = await FakeRuntimeServer.StartAsync((_, _, _) =>
            Task.FromResult(new HandleTurnResponse { Error = "model quota exhausted", Messages = { new ReplyMessage { Text = "ignored" } } }));
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, auth, _, channelId) = await SetUpAsync(kernel, runtime.Address.ToString());
        using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
        const string visitor = "visitorDIAL5AAAAAAAAAAAAA";

        await PostAsync(http, channelId, visitor, "hi", "1");
        Assert.StartsWith("Sorry", await WaitForReplyAsync(http, channelId, visitor, _ => true), StringComparison.Ordinal);
        var turn = Assert.Single((await kernel.Admin.ListTurnsAsync(new ListTurnsRequest { Status = TurnStatus.Failed }, auth)).Turns);
        Assert.Contains("model quota exhausted", turn.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("ignored", await RepliesAsync(http, channelId, visitor));
        kernel.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task CreateAgent_and_UpdateAgent_validate_the_endpoint()
    {
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        var (_, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);

        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument,
            async () => await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "rt", Kind = "grpc-runtime" }, auth), "config.endpoint");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument,
            async () => await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "rt", Kind = "grpc-runtime", Config = { ["endpoint"] = "ftp://runtime:21" } }, auth), "config.endpoint");
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument,
            async () => await kernel.Admin.CreateAgentAsync(new CreateAgentRequest
            {
                Name = "rt", Kind = "grpc-runtime", Config = { ["endpoint"] = "http://127.0.0.1:50051", ["timeout_seconds"] = "0" },
            }, auth), "config.timeout_seconds");

        var agent = (await kernel.Admin.CreateAgentAsync(new CreateAgentRequest { Name = "rt", Kind = "grpc-runtime", Config = { ["endpoint"] = "http://127.0.0.1:50051" } }, auth)).Agent;
        await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument,
            async () => await kernel.Admin.UpdateAgentAsync(new UpdateAgentRequest { AgentId = agent.Id, Config = { ["endpoint"] = "not a url" } }, auth),
            "config.endpoint");
        kernel.AssertNoUnexpectedErrors();
    }

    internal static HandleTurnResponse Reply(string text) => new() { Messages = { new ReplyMessage { Text = text } } };

    internal static async Task<(string TenantId, Metadata Auth, string AgentId, string ChannelId)> SetUpAsync(KernelHost kernel, string endpoint, string? token = null, string? timeoutSeconds = null)
    {
        var (tenant, key) = await kernel.CreateTenantAsync();
        var auth = KernelHost.Auth(key);
        var request = new CreateAgentRequest { Name = "dialout", Kind = "grpc-runtime", Config = { ["endpoint"] = endpoint } };
        if (token is not null) request.Credentials["token"] = token;
        if (timeoutSeconds is not null) request.Config["timeout_seconds"] = timeoutSeconds;
        var agent = (await kernel.Admin.CreateAgentAsync(request, auth)).Agent;
        await kernel.Admin.CreateAgentBindingAsync(new CreateAgentBindingRequest { AgentId = agent.Id }, auth);
        var channel = (await kernel.Admin.CreateChannelAsync(new CreateChannelRequest { Kind = "webchat", DisplayName = "Web" }, auth)).Channel;
        return (tenant.Id, auth, agent.Id, channel.Id);
    }

    internal static async Task PostAsync(HttpClient http, string channelId, string visitor, string text, string clientMessageId)
    {
        using var response = await http.PostAsJsonAsync(new Uri($"/chat/{channelId}/messages", UriKind.Relative), new { visitorId = visitor, text, clientMessageId });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    internal static async Task<List<string>> RepliesAsync(HttpClient http, string channelId, string visitor)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/chat/{channelId}/history?visitorId={visitor}", UriKind.Relative)));
        return doc.RootElement.EnumerateArray()
            .Where(m => m.GetProperty("role").GetString() != "user")
            .Select(m => m.GetProperty("text").GetString() ?? string.Empty).ToList();
    }

    internal static async Task<string> WaitForReplyAsync(HttpClient http, string channelId, string visitor, Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow + Bound;
        var seen = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            seen = await RepliesAsync(http, channelId, visitor);
            var found = seen.LastOrDefault(match);
            if (found is not null) return found;
            await Task.Delay(50);
        }

        throw new TimeoutException($"No matching reply for {visitor} within {Bound}; replies seen: {string.Join(" | ", seen)}");
    }
}

/// <summary>What the fake runtime received, and how it answers (the call number counts from 1).</summary>
public sealed class FakeRuntimeState(Func<HandleTurnRequest, int, CancellationToken, Task<HandleTurnResponse>> handler)
{
    private int _count;

    /// <summary>Every call, in arrival order, with its authorization metadata (null when absent).</summary>
    public ConcurrentQueue<(HandleTurnRequest Request, string? Authorization)> Calls { get; } = new();

    internal Task<HandleTurnResponse> HandleAsync(HandleTurnRequest request, ServerCallContext context)
    {
        Calls.Enqueue((request, context.RequestHeaders.GetValue("authorization")));
        return handler(request, Interlocked.Increment(ref _count), context.CancellationToken);
    }
}

/// <summary>The runtime team's service, as a runtime would implement it.</summary>
public sealed class FakeAgentRuntime(FakeRuntimeState state) : AgentRuntime.AgentRuntimeBase
{
    /// <inheritdoc />
    public override Task<HandleTurnResponse> HandleTurn(HandleTurnRequest request, ServerCallContext context) => state.HandleAsync(request, context);
}

/// <summary>A fake runtime endpoint: Kestrel on 127.0.0.1, port 0, HTTP/2 cleartext, serving <see cref="FakeAgentRuntime"/>.</summary>
public sealed class FakeRuntimeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeRuntimeServer(WebApplication app, FakeRuntimeState state, Uri address)
    {
        _app = app;
        State = state;
        Address = address;
    }

    public FakeRuntimeState State { get; }

    public Uri Address { get; }

    public static async Task<FakeRuntimeServer> StartAsync(Func<HandleTurnRequest, int, CancellationToken, Task<HandleTurnResponse>> handler)
    {
        var state = new FakeRuntimeState(handler);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(state);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<FakeAgentRuntime>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeRuntimeServer(app, state, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
