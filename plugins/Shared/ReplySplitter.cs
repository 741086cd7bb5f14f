namespace ClawScale.Plugins.Shared;

/// <summary>
/// Splits a long answer into several reply messages at paragraph boundaries (blank lines), so that each fits the
/// smallest common chat platform limit (Telegram: 4096 characters). A paragraph longer than the limit is cut at
/// its last line break or space before the limit, or hard at the limit when it has none.
/// </summary>
internal static class ReplySplitter
{
    /// <summary>The longest reply message produced, in UTF-16 characters.</summary>
    public const int DefaultMaxLength = 4000;

    /// <summary>Splits <paramref name="text"/>; a text within the limit comes back as one message, trimmed.</summary>
    /// <param name="text">The answer.</param>
    /// <param name="maxLength">The longest message, in characters (at least 1).</param>
    /// <returns>The messages, none empty; no messages when the text is blank.</returns>
    public static IReadOnlyList<string> Split(string text, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return [];
        }

        if (trimmed.Length <= maxLength)
        {
            return [trimmed];
        }

        var parts = new List<string>();
        var current = string.Empty;
        foreach (var paragraph in trimmed.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var candidate = current.Length == 0 ? paragraph : current + "\n\n" + paragraph;
            if (candidate.Length <= maxLength)
            {
                current = candidate;
                continue;
            }

            if (current.Length > 0)
            {
                parts.Add(current);
            }

            current = paragraph;
            while (current.Length > maxLength)
            {
                var cut = current.LastIndexOf('\n', maxLength - 1);
                if (cut <= 0)
                {
                    cut = current.LastIndexOf(' ', maxLength - 1);
                }

                if (cut <= 0)
                {
                    cut = maxLength;
                }

                parts.Add(current[..cut].TrimEnd());
                current = current[cut..].TrimStart();
            }
        }

        if (current.Length > 0)
        {
            parts.Add(current);
        }

        return parts;
    }
}
