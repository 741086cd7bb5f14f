using System.Runtime.CompilerServices;
using ClawScale.Plugins.Agents;
using ClawScale.Plugins.Hosting.Internal;
using ClawScale.Plugins.Hosting.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ClawScale.Plugins.Hosting.Tests;

public sealed class PluginInvokerTests
{
    private readonly TestLoggerProvider _logs = new();

    private PluginInvoker CreateInvoker(TimeSpan? defaultTimeout = null) =>
        new(Options.Create(new PluginHostOptions { CallTimeout = defaultTimeout ?? TimeSpan.FromSeconds(30) }), TimeProvider.System, _logs.CreateLogger<PluginInvoker>());

    [Fact]
    public async Task Returns_the_result_of_a_successful_call()
    {
        var result = await CreateInvoker().InvokeAsync("p", "Op", _ => ValueTask.FromResult(42), null, CancellationToken.None);

        Assert.Equal(42, result);
    }

    [Fact]
    public async Task A_plugin_exception_becomes_a_PluginCallException_naming_the_plugin_and_operation()
    {
        var error = await Assert.ThrowsAsync<PluginCallException>(async () =>
            await CreateInvoker().InvokeAsync<int>("telegram", "SendAsync", _ => throw new InvalidOperationException("bad token"), null, CancellationToken.None));

        Assert.Equal(("telegram", "SendAsync", PluginCallFailure.Faulted), (error.PluginName, error.Operation, error.Failure));
        Assert.Equal("Plugin \"telegram\" failed in SendAsync: InvalidOperationException: bad token", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 4112);
    }

    [Fact]
    public async Task An_AgentException_is_kept_as_the_inner_exception()
    {
        var error = await Assert.ThrowsAsync<PluginCallException>(async () =>
            await CreateInvoker().InvokeAsync("openai", "RespondAsync", async _ =>
            {
                await Task.Yield();
                throw new AgentException("HTTP 401 from the provider", "Please try later.");
            }, null, CancellationToken.None));

        Assert.Equal("Please try later.", Assert.IsType<AgentException>(error.InnerException).UserMessage);
    }

    [Fact]
    public async Task A_call_that_ignores_its_token_times_out_and_is_abandoned()
    {
        var never = new TaskCompletionSource<int>();
        CancellationToken seen = default;

        var error = await Assert.ThrowsAsync<PluginCallException>(async () =>
            await CreateInvoker(TimeSpan.FromMilliseconds(50)).InvokeAsync("slow", "ConnectAsync", token =>
            {
                seen = token;
                return new ValueTask<int>(never.Task);
            }, null, CancellationToken.None));

        Assert.Equal(PluginCallFailure.TimedOut, error.Failure);
        Assert.StartsWith("Plugin \"slow\" did not complete ConnectAsync within 0.05 s", error.Message, StringComparison.Ordinal);
        Assert.True(seen.IsCancellationRequested);
        never.SetException(new InvalidOperationException("late failure is only logged"));
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_a_plugin_fault()
    {
        using var cancel = new CancellationTokenSource();
        var task = CreateInvoker().InvokeAsync("p", "Op", async token =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return 1;
        }, Timeout.InfiniteTimeSpan, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await task);
    }

    [Fact]
    public async Task A_stream_yields_items_until_the_plugin_fails_then_reports_the_plugin()
    {
        var items = new List<string>();

        var error = await Assert.ThrowsAsync<PluginCallException>(async () =>
        {
            await foreach (var item in CreateInvoker().InvokeStreamAsync("echo", "RespondAsync", FailingStream, null, CancellationToken.None))
            {
                items.Add(item);
            }
        });

        Assert.Equal(["first"], items);
        Assert.Equal("echo", error.PluginName);
        Assert.Equal("stream broke", error.InnerException!.Message);
    }

    [Fact]
    public async Task A_stream_that_stalls_times_out()
    {
        var error = await Assert.ThrowsAsync<PluginCallException>(async () =>
        {
            await foreach (var _ in CreateInvoker(TimeSpan.FromMilliseconds(50)).InvokeStreamAsync("echo", "RespondAsync", StallingStream, null, CancellationToken.None))
            {
            }
        });

        Assert.Equal(PluginCallFailure.TimedOut, error.Failure);
    }

    [Fact]
    public void A_synchronous_call_maps_exceptions()
    {
        var invoker = CreateInvoker();

        Assert.Equal("ok", invoker.Invoke("p", "Validate", () => "ok"));
        var error = Assert.Throws<PluginCallException>(() => invoker.Invoke<string>("p", "Create", () => throw new FormatException("bad config")));
        Assert.Equal("Plugin \"p\" failed in Create: FormatException: bad config", error.Message);
    }

    private static async IAsyncEnumerable<string> FailingStream([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return "first";
        throw new InvalidOperationException("stream broke");
    }

    private static async IAsyncEnumerable<string> StallingStream([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await new TaskCompletionSource().Task.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        yield return "never";
    }
}
