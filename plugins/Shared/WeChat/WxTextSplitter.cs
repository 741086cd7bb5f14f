using System.Text;

namespace ClawScale.Plugins.Shared.WeChat;

/// <summary>
/// Splits a reply into parts of at most a number of UTF-8 bytes: WeCom <c>message/send</c> text content is "最长不超过
/// 2048个字节，超过将截断" (at most 2048 bytes, the rest is cut off), and a WeChat customer-service text is limited the same
/// way. Splits at the last line break, then space, before the limit; never inside a character (surrogate pairs kept).
/// </summary>
internal static class WxTextSplitter
{
    /// <summary>The parts, in order; empty for a null or blank text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxBytes">The most UTF-8 bytes of one part (at least 16).</param>
    public static IReadOnlyList<string> Split(string? text, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 16);
        var parts = new List<string>();
        var rest = text?.Trim() ?? string.Empty;
        while (rest.Length > 0)
        {
            if (Encoding.UTF8.GetByteCount(rest) <= maxBytes)
            {
                parts.Add(rest);
                break;
            }

            // The longest prefix within the limit, not ending between a surrogate pair.
            var fit = 0;
            var bytes = 0;
            while (fit < rest.Length)
            {
                var width = char.IsHighSurrogate(rest[fit]) && fit + 1 < rest.Length ? 2 : 1;
                var size = Encoding.UTF8.GetByteCount(rest.AsSpan(fit, width));
                if (bytes + size > maxBytes)
                    break;
                bytes += size;
                fit += width;
            }

            var cut = rest.LastIndexOf('\n', fit - 1, fit);
            if (cut < fit / 2)
                cut = rest.LastIndexOf(' ', fit - 1, fit);
            if (cut < fit / 2)
                cut = fit;
            var part = rest[..cut].TrimEnd();
            if (part.Length > 0)
                parts.Add(part);
            rest = rest[cut..].TrimStart();
        }

        return parts;
    }
}
