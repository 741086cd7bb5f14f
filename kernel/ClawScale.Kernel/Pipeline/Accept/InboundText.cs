namespace ClawScale.Kernel.Pipeline.Accept;

/// <summary>
/// The limit on inbound message text (<see cref="PipelineOptions.MaxInboundTextLength"/>) and the marker that ends a
/// text the kernel cut, here and in the history sent to runtimes (<c>Runtime.RuntimeTurnBudget</c>).
/// </summary>
internal static class InboundText
{
    /// <summary>The last line of a text the kernel cut (documented in README.md and runtime.proto).</summary>
    public const string TruncationMarker = "\n[truncated by ClawScale]";

    /// <summary>
    /// <paramref name="text"/> when it has at most <paramref name="maxLength"/> UTF-16 code units; otherwise its
    /// beginning followed by <see cref="TruncationMarker"/>, <paramref name="maxLength"/> code units in all, never
    /// splitting a surrogate pair.
    /// </summary>
    public static string Cut(string text, int maxLength)
    {
        if (text.Length <= maxLength) return text;
        var keep = Math.Max(0, maxLength - TruncationMarker.Length);
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--;
        return text[..keep] + TruncationMarker;
    }
}
