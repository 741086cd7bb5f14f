using ClawScale.Kernel.Runtime;
using ClawScale.Protos.V1;
using Google.Protobuf;

namespace ClawScale.Kernel.Tests.Runtime;

/// <summary>Unit tests of <see cref="RuntimeTurnBudget"/>: history within its byte budget, the turn within the send limit.</summary>
public sealed class RuntimeTurnBudgetTests
{
    private const int Kib = 1024;
    private const int MaxSend = 4 * 1024 * Kib;

    [Fact]
    public void A_window_within_the_budget_is_sent_whole_and_not_marked()
    {
        var window = Enumerable.Range(0, 20).Select(i => Text("m" + i, 100)).ToList();
        var turn = NewTurn(Text("now", 10));
        RuntimeTurnBudget.Fill(turn, window, 64 * Kib, MaxSend);
        Assert.Equal(window.Select(m => m.Id), turn.History.Select(m => m.Id));
        Assert.False(turn.HistoryTruncated);
        Assert.Equal(0, turn.HistoryOmitted);
        Assert.False(turn.MessageTruncated);
    }

    [Fact]
    public void Over_the_budget_the_oldest_messages_are_left_out_and_the_newest_kept_in_order()
    {
        // 10 messages of ~10 KiB each in a 35 KiB budget: the newest 3 fit.
        var window = Enumerable.Range(0, 10).Select(i => Text("m" + i, 10 * Kib)).ToList();
        var turn = NewTurn(Text("now", 10));
        RuntimeTurnBudget.Fill(turn, window, 35 * Kib, MaxSend);
        Assert.Equal(["m7", "m8", "m9"], turn.History.Select(m => m.Id));
        Assert.True(turn.HistoryTruncated);
        Assert.Equal(7, turn.HistoryOmitted);
        Assert.True(turn.History.Sum(RuntimeTurnBudget.HistoryEntrySize) <= 35 * Kib);
        Assert.All(turn.History, m => Assert.DoesNotContain("truncated", m.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void A_single_message_larger_than_the_budget_is_cut_with_the_marker_and_loses_inline_data()
    {
        var big = Text("big", 200 * Kib);
        big.Attachments.Add(new Attachment { Kind = AttachmentKind.Image, FileName = "cat.png", MimeType = "image/png", SizeBytes = 300 * Kib, Data = ByteString.CopyFrom(new byte[300 * Kib]) });
        var window = new List<Message> { Text("older", 10), big, Text("newest", 10) };
        var turn = NewTurn(Text("now", 10));
        RuntimeTurnBudget.Fill(turn, window, 64 * Kib, MaxSend);

        Assert.Equal(["big", "newest"], turn.History.Select(m => m.Id));
        var cut = turn.History[0];
        Assert.EndsWith(RuntimeTurnBudget.TruncationMarker, cut.Text, StringComparison.Ordinal);
        Assert.StartsWith(new string('x', 1000), cut.Text, StringComparison.Ordinal);
        var attachment = Assert.Single(cut.Attachments);
        Assert.True(attachment.Data.IsEmpty);
        Assert.Equal(("cat.png", 300L * Kib), (attachment.FileName, attachment.SizeBytes));
        Assert.True(turn.History.Sum(RuntimeTurnBudget.HistoryEntrySize) <= 64 * Kib);
        Assert.True(turn.History.Sum(RuntimeTurnBudget.HistoryEntrySize) > 60 * Kib, "The cut message should use the room left.");
        Assert.True(turn.HistoryTruncated);
        Assert.Equal(1, turn.HistoryOmitted);
        // The original is not changed.
        Assert.Equal(300 * Kib, big.Attachments[0].Data.Length);
    }

    [Fact]
    public void The_turn_fits_the_send_limit_whatever_its_own_message_and_history_weigh()
    {
        var own = Text("now", 10);
        own.Attachments.Add(new Attachment { Kind = AttachmentKind.Document, Data = ByteString.CopyFrom(new byte[3 * 1024 * Kib]) });
        var window = Enumerable.Range(0, 4).Select(i => Text("m" + i, 300 * Kib)).ToList();
        var turn = NewTurn(own);
        RuntimeTurnBudget.Fill(turn, window, 2 * 1024 * Kib, MaxSend);
        Assert.True(new ConnectResponse { Turn = turn }.CalculateSize() <= MaxSend);
        Assert.False(turn.MessageTruncated);
        Assert.True(turn.HistoryTruncated);
        Assert.Equal(4 - turn.History.Count, turn.HistoryOmitted);

        // A message over the send limit on its own is cut too, and says so.
        var huge = Text("huge", 10);
        huge.Attachments.Add(new Attachment { Kind = AttachmentKind.Document, Data = ByteString.CopyFrom(new byte[MaxSend]) });
        var alone = NewTurn(huge);
        RuntimeTurnBudget.Fill(alone, window, 1024 * Kib, MaxSend);
        Assert.True(new ConnectResponse { Turn = alone }.CalculateSize() <= MaxSend);
        Assert.True(alone.MessageTruncated);
        Assert.EndsWith(RuntimeTurnBudget.TruncationMarker, alone.Message.Text, StringComparison.Ordinal);
        Assert.True(alone.Message.Attachments[0].Data.IsEmpty);
    }

    [Theory]
    [InlineData("abc", 2, "ab")]
    [InlineData("aé", 2, "a")]
    [InlineData("a😀b", 4, "a")]
    [InlineData("a😀b", 5, "a😀")]
    [InlineData("€€", 5, "€")]
    [InlineData("abc", 0, "")]
    public void Utf8Prefix_never_splits_a_character(string text, int maxBytes, string expected) =>
        Assert.Equal(expected, RuntimeTurnBudget.Utf8Prefix(text, maxBytes));

    private static RuntimeTurn NewTurn(Message message) => new()
    {
        TurnId = "turn-1",
        TenantId = "tenant-1",
        AgentId = "agent-1",
        Message = message,
        Conversation = new Conversation { Id = "conv-1", TenantId = "tenant-1" },
        Attempt = 1,
    };

    private static Message Text(string id, int length) => new()
    {
        Id = id,
        TenantId = "tenant-1",
        ConversationId = "conv-1",
        Role = MessageRole.User,
        Text = new string('x', length),
    };
}
