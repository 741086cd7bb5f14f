using ClawScale.Plugins.Shared;
using Xunit;

namespace ClawScale.Plugins.Agents.Tests.Shared;

public sealed class ReplySplitterTests
{
    [Fact]
    public void Short_text_is_one_trimmed_message_and_blank_is_none()
    {
        Assert.Equal(["hi there"], ReplySplitter.Split("  hi there \n"));
        Assert.Empty(ReplySplitter.Split(" \n "));
    }

    [Fact]
    public void Long_text_is_split_at_paragraphs_then_lines_then_spaces()
    {
        var text = "aaaa bbbb\n\ncccc\n\n" + "dddd eeee ffff gggg";
        var parts = ReplySplitter.Split(text, maxLength: 10);
        Assert.Equal(["aaaa bbbb", "cccc", "dddd eeee", "ffff gggg"], parts);
        Assert.All(parts, p => Assert.True(p.Length <= 10));
    }

    [Fact]
    public void Paragraphs_are_packed_up_to_the_limit_and_words_without_spaces_cut_hard()
    {
        Assert.Equal(["ab\n\ncd", "ef"], ReplySplitter.Split("ab\n\ncd\n\nef", maxLength: 6));
        Assert.Equal(["abcd", "efgh", "ij"], ReplySplitter.Split("abcdefghij", maxLength: 4));
    }
}
