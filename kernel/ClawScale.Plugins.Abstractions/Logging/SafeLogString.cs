using System.Globalization;
using System.Text;

namespace ClawScale.Plugins.Logging;

/// <summary>
/// A string from outside (a platform's user or chat id, a username, an id from a request path or body, a runtime's
/// name, a platform's error text) on its way into a log message, with the characters that could forge or hide log
/// lines escaped when it is formatted. Use it as the type of a <c>[LoggerMessage]</c> parameter, so that every caller
/// is covered; it converts implicitly from <see cref="string"/>, and nothing is escaped (or allocated) unless the log
/// level is enabled.
/// </summary>
/// <remarks>
/// <see cref="Escape"/> writes, in the style of JSON string escapes: <c>\n</c>, <c>\r</c>, <c>\t</c> and <c>\\</c> for
/// a backslash (so an escape in the output always means an escaped character), and <c>\uXXXX</c> (lower-case hex) for
/// the other C0 controls U+0000–U+001F (ESC is <c>\u001b</c>), DEL U+007F, the C1 controls U+0080–U+009F (NEL
/// U+0085 included), the line and paragraph separators U+2028/U+2029, the bidirectional embeddings, overrides and
/// isolates U+202A–U+202E and U+2066–U+2069 (which reorder how a line is displayed), and lone surrogates. Everything
/// else is kept as is. A string with nothing to escape is returned unchanged, without allocating.
/// </remarks>
/// <param name="value">The value to log; <see langword="null"/> is written as <c>(null)</c>, as the logging formatter does.</param>
public readonly struct SafeLogString(string? value) : IEquatable<SafeLogString>
{
    /// <summary>The original, unescaped value.</summary>
    public string? Value { get; } = value;

    /// <summary>Wraps <paramref name="value"/>.</summary>
    /// <param name="value">The value to log.</param>
    public static implicit operator SafeLogString(string? value) => new(value);

    /// <summary>Wraps <paramref name="value"/> (the named alternative of the implicit conversion).</summary>
    /// <param name="value">The value to log.</param>
    public static SafeLogString FromString(string? value) => new(value);

    /// <summary>The escaped value, as it appears in a formatted log message.</summary>
    public override string ToString() => Escape(Value);

    /// <summary>Returns <paramref name="value"/> with control and line-breaking characters escaped (see the type's remarks).</summary>
    /// <param name="value">Any string; <see langword="null"/> gives <c>(null)</c>.</param>
    public static string Escape(string? value)
    {
        if (value is null) return "(null)";
        var first = IndexOfUnsafe(value);
        if (first < 0) return value;

        var builder = new StringBuilder(value.Length + 16);
        builder.Append(value, 0, first);
        for (var i = first; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
                continue;
            }

            switch (c)
            {
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\\': builder.Append("\\\\"); break;
                default:
                    if (NeedsEscape(c)) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(SafeLogString other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SafeLogString other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value is null ? 0 : StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Whether both wrap the same string.</summary>
    public static bool operator ==(SafeLogString left, SafeLogString right) => left.Equals(right);

    /// <summary>Whether they wrap different strings.</summary>
    public static bool operator !=(SafeLogString left, SafeLogString right) => !left.Equals(right);

    private static int IndexOfUnsafe(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (c == '\\' || NeedsEscape(c)) return i;
        }

        return -1;
    }

    private static bool NeedsEscape(char c) =>
        c < 0x20 || c is >= '\u007f' and <= '\u009f' || c is '\u2028' or '\u2029' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069' || char.IsSurrogate(c);
}
