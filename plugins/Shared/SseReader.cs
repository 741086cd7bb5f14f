using System.Runtime.CompilerServices;
using System.Text;

namespace ClawScale.Plugins.Shared;

/// <summary>
/// Parses a <c>text/event-stream</c> body incrementally, following the WHATWG HTML "Server-sent events" parsing
/// rules: lines end with CRLF, LF or CR; <c>data:</c> lines accumulate (joined by LF); <c>event:</c> names the
/// event; lines starting with <c>:</c> are comments; a blank line dispatches. Bytes may arrive split anywhere,
/// including inside a UTF-8 sequence or between CR and LF. Unlike the spec, an event not followed by a blank line
/// at the end of the stream is still dispatched (some OpenAI-compatible servers omit the last blank line).
/// </summary>
internal static class SseReader
{
    /// <summary>Reads events until the stream ends.</summary>
    /// <param name="stream">The response body; left open.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The events, in order.</returns>
    public static async IAsyncEnumerable<SseEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        string? eventType = null;
        var data = new StringBuilder();
        var hasData = false;
        var first = true;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (first)
            {
                first = false;
                line = line.TrimStart('\uFEFF');
            }

            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return new SseEvent(eventType, data.ToString());
                }

                eventType = null;
                data.Clear();
                hasData = false;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    hasData = true;
                    break;
                case "event":
                    eventType = value;
                    break;
            }
        }

        if (hasData)
        {
            yield return new SseEvent(eventType, data.ToString());
        }
    }
}
