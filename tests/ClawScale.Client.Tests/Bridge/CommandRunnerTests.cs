using ClawScale.Bridge;
using ClawScale.Protos.V1;
using Google.Protobuf.WellKnownTypes;

namespace ClawScale.Client.Tests.Bridge;

/// <summary><see cref="CommandRunner"/>, <see cref="CommandSpec"/> and <see cref="BridgeTurnHandler"/> with real <c>/bin/sh</c> processes.</summary>
public sealed class CommandRunnerTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task Stdin_goes_in_and_stdout_comes_out()
    {
        var result = await CommandRunner.RunAsync(CommandSpec.Shell("tr a-z A-Z"), "hello bridge", NoEnvironment, TimeSpan.FromSeconds(30));
        Assert.True(result.Succeeded, result.Stderr);
        Assert.Equal("HELLO BRIDGE", result.Stdout);
    }

    [Fact]
    public async Task Environment_variables_reach_the_command()
    {
        var result = await CommandRunner.RunAsync(CommandSpec.Shell("printf '%s|%s' \"$CLAWSCALE_TURN_ID\" \"$OTHER\""), string.Empty,
            new Dictionary<string, string> { ["CLAWSCALE_TURN_ID"] = "t-1", ["OTHER"] = "x y" }, TimeSpan.FromSeconds(30));
        Assert.Equal("t-1|x y", result.Stdout);
    }

    [Fact]
    public async Task Non_zero_exit_keeps_stderr()
    {
        var result = await CommandRunner.RunAsync(CommandSpec.Shell("echo boom >&2; exit 3"), string.Empty, NoEnvironment, TimeSpan.FromSeconds(30));
        Assert.False(result.Succeeded);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("boom\n", result.Stderr);
    }

    [Fact]
    public async Task A_command_past_its_timeout_is_killed()
    {
        var started = DateTime.UtcNow;
        var result = await CommandRunner.RunAsync(CommandSpec.Shell("echo partial >&2; sleep 30"), string.Empty, NoEnvironment, TimeSpan.FromMilliseconds(300));
        Assert.True(result.TimedOut);
        Assert.False(result.Succeeded);
        Assert.Contains("partial", result.Stderr);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "the process was not killed at its timeout");
    }

    [Fact]
    public async Task Arguments_are_passed_without_a_shell()
    {
        var spec = CommandSpec.Parse("/bin/sh -c 'printf \"%s,\" \"$@\"' sh \"a b\" $HOME '*'");
        Assert.Equal("/bin/sh", spec.FileName);
        var result = await CommandRunner.RunAsync(spec, string.Empty, NoEnvironment, TimeSpan.FromSeconds(30));
        Assert.Equal("a b,$HOME,*,", result.Stdout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("claude 'unterminated")]
    public void Bad_command_lines_are_refused(string line) => Assert.Throws<ArgumentException>(() => CommandSpec.Parse(line));

    private static RuntimeTurn Turn(string text)
    {
        var turn = new RuntimeTurn
        {
            TurnId = "turn-1",
            Customer = new Customer { Id = "cust-1" },
            Conversation = new Conversation { Id = "conv-1", ChannelId = "chan-1" },
            Message = new Message { Text = text, Role = MessageRole.User },
        };
        turn.History.Add(new Message { Role = MessageRole.User, Text = "earlier \"quoted\"", CreateTime = Timestamp.FromDateTime(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)) });
        turn.History.Add(new Message { Role = MessageRole.Agent, Text = "answer" });
        return turn;
    }

    [Fact]
    public async Task The_handler_sets_the_turn_environment_and_replies_with_trimmed_stdout()
    {
        var handler = new BridgeTurnHandler(new BridgeOptions
        {
            Command = CommandSpec.Shell("echo \"  $CLAWSCALE_TURN_ID $CLAWSCALE_CONVERSATION_ID $CLAWSCALE_CUSTOMER_ID $CLAWSCALE_CHANNEL_ID $(cat)\"; echo \"$CLAWSCALE_HISTORY_JSON\" >&2"),
        });
        var replies = await handler.HandleAsync(Turn("hi"), CancellationToken.None).ToListAsync();
        Assert.Equal("turn-1 conv-1 cust-1 chan-1 hi", Assert.Single(replies).Text);

        var history = System.Text.Json.JsonDocument.Parse(BridgeTurnHandler.Environment(Turn("x"))["CLAWSCALE_HISTORY_JSON"]).RootElement;
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal("user", history[0].GetProperty("role").GetString());
        Assert.Equal("earlier \"quoted\"", history[0].GetProperty("text").GetString());
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), history[0].GetProperty("time").GetDateTimeOffset());
        Assert.Equal("agent", history[1].GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_failing_command_fails_the_turn_with_a_stderr_excerpt()
    {
        var handler = new BridgeTurnHandler(new BridgeOptions { Command = CommandSpec.Shell("echo 'model overloaded' >&2; exit 7") });
        var e = await Assert.ThrowsAsync<BridgeCommandException>(async () => await handler.HandleAsync(Turn("hi"), CancellationToken.None).ToListAsync());
        Assert.Contains("exited with code 7", e.Message);
        Assert.Contains("model overloaded", e.Message);
    }

    [Fact]
    public async Task A_timeout_fails_the_turn()
    {
        var handler = new BridgeTurnHandler(new BridgeOptions { Command = CommandSpec.Shell("sleep 30"), Timeout = TimeSpan.FromMilliseconds(200) });
        var e = await Assert.ThrowsAsync<BridgeCommandException>(async () => await handler.HandleAsync(Turn("hi"), CancellationToken.None).ToListAsync());
        Assert.Contains("timed out", e.Message);
    }
}
