using ClawScale.Plugins.Logging;
using Microsoft.Extensions.Logging;

namespace ClawScale.Kernel.Tests.Logging;

/// <summary>
/// <see cref="SafeLogString"/> (in the plugin SDK, tested here with the kernel that uses it): control and line-breaking
/// characters escaped, everything else kept, no copy when there is nothing to escape, and the escaping applied when a
/// <c>[LoggerMessage]</c> method formats it.
/// </summary>
public sealed partial class SafeLogStringTests
{
    [Theory]
    [InlineData("plain id 12345", "plain id 12345")]
    [InlineData("ada\n[Error] forged", "ada\\n[Error] forged")]
    [InlineData("a\r\nb\tc", "a\\r\\nb\\tc")]
    [InlineData("esc\u001b[31mred", "esc\\u001b[31mred")]
    [InlineData("nul\0del\u007f", "nul\\u0000del\\u007f")]
    [InlineData("c1\u0085\u009b", "c1\\u0085\\u009b")]
    [InlineData("ls\u2028ps\u2029", "ls\\u2028ps\\u2029")]
    [InlineData("bidi\u202egnp.exe\u2066x\u2069", "bidi\\u202egnp.exe\\u2066x\\u2069")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("ünïcødé 日本 🦀", "ünïcødé 日本 🦀")]
    [InlineData("", "")]
    public void Controls_and_line_breaks_are_escaped_and_everything_else_is_kept(string value, string expected)
    {
        Assert.Equal(expected, SafeLogString.Escape(value));
        Assert.Equal(expected, ((SafeLogString)value).ToString());
    }

    [Fact]
    public void A_lone_surrogate_is_escaped_and_a_pair_is_kept() =>
        Assert.Equal("lone \\ud83e high \U0001F980", SafeLogString.Escape("lone \ud83e high \U0001F980"));

    [Fact]
    public void Null_is_written_as_the_logging_formatter_writes_it() => Assert.Equal("(null)", new SafeLogString(null).ToString());

    [Fact]
    public void A_value_with_nothing_to_escape_is_returned_as_is()
    {
        var value = "telegram:123456789";
        Assert.Same(value, SafeLogString.Escape(value));
    }

    [Fact]
    public void Every_C0_and_C1_control_is_escaped()
    {
        for (var c = 0; c <= 0x9f; c++)
        {
            if (c is >= 0x20 and < 0x7f) continue;
            var escaped = SafeLogString.Escape(((char)c).ToString());
            Assert.StartsWith("\\", escaped);
            Assert.DoesNotContain(escaped, ch => char.IsControl(ch));
        }
    }

    [Fact]
    public void A_LoggerMessage_parameter_of_this_type_formats_escaped_and_keeps_the_raw_value_for_structured_sinks()
    {
        var logger = new RecordingLogger();

        LogSender(logger, "ada\n[Error] forged");

        var (message, state) = Assert.Single(logger.Entries);
        Assert.Equal("Sender ada\\n[Error] forged is over the limit", message);
        var value = Assert.IsType<SafeLogString>(state.Single(p => p.Key == "Sender").Value);
        Assert.Equal("ada\n[Error] forged", value.Value);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Sender {Sender} is over the limit")]
    private static partial void LogSender(ILogger logger, SafeLogString sender);

    private sealed class RecordingLogger : ILogger
    {
        public List<(string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((formatter(state, exception), state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
    }
}
