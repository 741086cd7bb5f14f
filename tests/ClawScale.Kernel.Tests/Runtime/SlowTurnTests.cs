using ClawScale.Kernel.Tests.Infrastructure;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Tests.Runtime;

/// <summary>
/// The TurnDispatcher's worker pool (default <c>Pipeline:MaxConcurrentTurns</c>): a turn whose agent call does not
/// return holds one slot, and other conversations' turns are still run and answered. The slow call is a dial-out
/// runtime (<see cref="FakeRuntimeServer"/>) held on a gate for one message, so "slow" lasts exactly as long as the test says.
/// </summary>
public sealed class SlowTurnTests
{
    [Fact]
    public async Task A_turn_stuck_in_its_agent_call_does_not_hold_back_other_conversations_and_is_answered_when_released()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var runtime = await FakeRuntimeServer.StartAsync(async (request, _, ct) =>
        {
            if (request.Turn.Message.Text == "slow") await gate.Task.WaitAsync(ct);
            return DialOutRuntimeTests.Reply("re: " + request.Turn.Message.Text);
        });
        await using var kernel = await KernelHost.StartAsync(TestDatabase.Sqlite());
        try
        {
            var (_, _, _, channelId) = await DialOutRuntimeTests.SetUpAsync(kernel, runtime.Address.ToString());
            using var http = new HttpClient { BaseAddress = kernel.HttpAddress };
            const string slowVisitor = "visitorSLOW0AAAAAAAAAAAAA";

            await DialOutRuntimeTests.PostAsync(http, channelId, slowVisitor, "slow", "s1");
            await Eventually.TrueAsync(() => runtime.State.Calls.Any(c => c.Request.Turn.Message.Text == "slow"), "the slow turn to reach the runtime", TimeSpan.FromSeconds(20));

            string[] fastVisitors = ["visitorFAST1AAAAAAAAAAAAA", "visitorFAST2AAAAAAAAAAAAA", "visitorFAST3AAAAAAAAAAAAA"];
            foreach (var visitor in fastVisitors) await DialOutRuntimeTests.PostAsync(http, channelId, visitor, "fast " + visitor, "f1");
            foreach (var visitor in fastVisitors)
            {
                Assert.Equal("re: fast " + visitor, await DialOutRuntimeTests.WaitForReplyAsync(http, channelId, visitor, r => r.StartsWith("re: ", StringComparison.Ordinal)));
            }

            // The gate is still closed: the slow conversation has no reply, and its call is the only one still open.
            Assert.Empty(await DialOutRuntimeTests.RepliesAsync(http, channelId, slowVisitor));
            Assert.Single(runtime.State.Calls, c => c.Request.Turn.Message.Text == "slow");

            gate.SetResult();
            Assert.Equal("re: slow", await DialOutRuntimeTests.WaitForReplyAsync(http, channelId, slowVisitor, r => r.StartsWith("re: ", StringComparison.Ordinal)));
            Assert.Equal(["re: slow"], await DialOutRuntimeTests.RepliesAsync(http, channelId, slowVisitor));
            Assert.Equal(4, runtime.State.Calls.Count);
            kernel.AssertNoUnexpectedErrors();
        }
        finally
        {
            gate.TrySetResult();
        }
    }
}
