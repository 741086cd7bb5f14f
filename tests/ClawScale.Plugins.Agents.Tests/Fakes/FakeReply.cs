namespace ClawScale.Plugins.Agents.Tests.Fakes;

/// <summary>What a fake provider answers to one request. Build with the static methods.</summary>
public sealed record FakeReply
{
    /// <summary>The answer text on success.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>Force a streamed (true) or JSON (false) answer; null follows the request's <c>stream</c> flag.</summary>
    public bool? Stream { get; init; }

    /// <summary>Streamed answers: text pieces per delta event (default: split into words).</summary>
    public IReadOnlyList<string>? Deltas { get; init; }

    /// <summary>Streamed answers: write the body in pieces of this many bytes, flushing each (0: one write per event).</summary>
    public int ChunkBytes { get; init; }

    /// <summary>HTTP status; not 200 means an error answer in the provider's envelope.</summary>
    public int Status { get; init; } = 200;

    /// <summary>Provider error type (OpenAI <c>error.type</c>, Anthropic <c>error.type</c>).</summary>
    public string? ErrorType { get; init; }

    /// <summary>OpenAI <c>error.code</c>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Provider error message.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>Error answers: this body (as text/html) instead of the provider's error envelope.</summary>
    public string? RawBody { get; init; }

    /// <summary>A <c>retry-after</c> header value, or null.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>Never answer; hold the request until the client gives up.</summary>
    public bool Stall { get; init; }

    /// <summary>Streamed answers: after the deltas, send an error event instead of finishing.</summary>
    public bool ErrorMidStream { get; init; }

    /// <summary>Streamed answers: end the body early, without the final events.</summary>
    public bool Truncate { get; init; }

    public static FakeReply Answer(string text, int chunkBytes = 0) => new() { Text = text, ChunkBytes = chunkBytes };

    public static FakeReply Error(int status, string type, string message, string? retryAfter = null, string? code = null) =>
        new() { Status = status, ErrorType = type, ErrorMessage = message, RetryAfter = retryAfter, ErrorCode = code };

    public static FakeReply Raw(int status, string body) => new() { Status = status, RawBody = body };

    public static FakeReply Stalled() => new() { Stall = true };

    public static FakeReply StreamError(string partialText, string type, string message) =>
        new() { Text = partialText, Stream = true, ErrorMidStream = true, ErrorType = type, ErrorMessage = message };

    internal IReadOnlyList<string> Pieces() =>
        Deltas ?? (Text.Length == 0 ? [] : System.Text.RegularExpressions.Regex.Split(Text, "(?<= )"));
}
