using System.Text.Json;
using ClawScale.Plugins.Agents;

namespace ClawScale.Plugins.Shared;

/// <summary>
/// Turns provider failures into <see cref="AgentException"/>s: an admin message (provider, endpoint host, HTTP
/// status, the provider's error type/code and message, with the API key redacted) and a plain-words user message.
/// Understands both error envelopes: OpenAI's <c>{"error":{"message","type","code"}}</c> and Anthropic's
/// <c>{"type":"error","error":{"type","message"}}</c>, plus Ollama's documented <c>{"error":"text"}</c>.
/// </summary>
/// <remarks>
/// The admin message ends up in <c>Turn.last_error</c>, which the admin API shows, so only those documented fields are
/// quoted (at most 500 characters each). Any other body — an HTML error page, a proxy's answer, whatever a
/// misconfigured <c>base_url</c> points at — is never echoed: the message then gives the HTTP status and reason
/// phrase only.
/// </remarks>
internal static class ProviderErrors
{
    private const int MaxProviderMessageLength = 500;

    /// <summary>The user message for each failure kind.</summary>
    public static string UserMessage(ProviderFailure failure) => failure switch
    {
        ProviderFailure.Misconfigured => "Sorry, the assistant is misconfigured and cannot answer right now. Please let the administrator know.",
        ProviderFailure.RateLimited => "The assistant is receiving too many requests right now. Please try again shortly.",
        ProviderFailure.Unavailable => "The assistant's AI service is temporarily unavailable. Please try again in a few minutes.",
        ProviderFailure.Rejected => "The assistant's AI service could not process this message. Please rephrase it or send it without attachments.",
        ProviderFailure.Timeout => "The assistant took too long to answer. Please try again.",
        ProviderFailure.Unreachable => "The assistant could not reach its AI service. Please try again later.",
        _ => "The assistant received an unreadable answer from its AI service. Please try again.",
    };

    /// <summary>Classifies an HTTP error status, refined by the provider's error type.</summary>
    public static ProviderFailure Classify(int status, string? errorType)
    {
        switch (errorType)
        {
            case "authentication_error" or "permission_error" or "invalid_api_key" or "insufficient_quota" or "billing_error":
                return ProviderFailure.Misconfigured;
            case "rate_limit_error" or "rate_limit_exceeded":
                return ProviderFailure.RateLimited;
            case "overloaded_error" or "api_error" or "server_error":
                return ProviderFailure.Unavailable;
        }

        return status switch
        {
            // A 3xx reaches the plugin because the kernel's HttpClient does not follow redirects: base_url is not the final URL.
            >= 300 and < 400 => ProviderFailure.Misconfigured,
            401 or 402 or 403 or 404 => ProviderFailure.Misconfigured,
            429 => ProviderFailure.RateLimited,
            408 => ProviderFailure.Timeout,
            >= 500 => ProviderFailure.Unavailable,
            _ => ProviderFailure.Rejected,
        };
    }

    /// <summary>
    /// Builds the exception for a non-success HTTP answer: <c>{provider} at {origin} answered HTTP {status} ({type}/{code}):
    /// {message}</c> when the body holds a documented error envelope, otherwise <c>… answered HTTP {status} {reason
    /// phrase}</c> without any of the body. A 3xx adds that redirects are not followed.
    /// </summary>
    /// <param name="provider">Provider name for admins, for example <c>OpenAI-compatible API</c>.</param>
    /// <param name="endpoint">The URL called; only its scheme, host and port are reported.</param>
    /// <param name="status">The HTTP status code.</param>
    /// <param name="reasonPhrase">The answer's reason phrase, or <see langword="null"/>.</param>
    /// <param name="body">The response body (may be empty or not JSON); only its documented error fields are reported.</param>
    /// <param name="apiKey">The key to redact from everything reported, or <see langword="null"/>.</param>
    public static AgentException FromResponse(string provider, Uri? endpoint, int status, string? reasonPhrase, string body, string? apiKey)
    {
        var (type, code, message) = ParseErrorBody(body);
        var failure = Classify(status, type ?? code);
        var detail = type is null && code is null && message is null ? Reason(reasonPhrase) : Describe(type, code, message);
        var admin = $"{provider} at {Origin(endpoint)} answered HTTP {status}{detail}";
        if (status is >= 300 and < 400)
            admin += "; redirects are not followed: set config.base_url to the final URL";
        return new AgentException(Redact(admin, apiKey), UserMessage(failure));
    }

    /// <summary>
    /// Builds the exception for an error event inside a stream (HTTP status was already 200), quoting its documented
    /// error fields only.
    /// </summary>
    public static AgentException FromStreamError(string provider, string errorJson, string? apiKey)
    {
        var (type, code, message) = ParseErrorBody(errorJson);
        var failure = Classify(200, type ?? code);
        if (failure == ProviderFailure.Rejected && type is null && code is null)
        {
            failure = ProviderFailure.Unavailable;
        }

        // Only documented fields are quoted; an unrecognised error event is reported without its content.
        var admin = $"{provider} reported an error in the middle of its streamed answer{Describe(type, code, message)}";
        return new AgentException(Redact(admin, apiKey), UserMessage(failure));
    }

    /// <summary>No complete answer within the configured time.</summary>
    public static AgentException Timeout(string provider, TimeSpan timeout, Exception inner) =>
        new($"{provider} did not answer completely within {timeout.TotalSeconds:0.#} s (config timeout_seconds)", UserMessage(ProviderFailure.Timeout), inner);

    /// <summary>Connection-level failure (refused, DNS, reset, dropped mid-answer).</summary>
    public static AgentException Unreachable(string provider, Uri? endpoint, Exception inner, string? apiKey) =>
        new(Redact($"{provider} at {Origin(endpoint)} could not be reached or dropped the connection: {inner.Message}", apiKey), UserMessage(ProviderFailure.Unreachable), inner);

    /// <summary>An answer that could not be understood.</summary>
    public static AgentException BadResponse(string provider, string detail, Exception? inner = null) =>
        new($"{provider} sent an answer that could not be used: {detail}", UserMessage(ProviderFailure.BadResponse), inner);

    /// <summary>An answer that the provider refused to give, for example a content filter stop.</summary>
    public static AgentException Refused(string provider, string detail) =>
        new($"{provider} refused to answer: {detail}", UserMessage(ProviderFailure.Rejected));

    /// <summary>Extracts the error type, code and message from a provider error body; all null when absent.</summary>
    public static (string? Type, string? Code, string? Message) ParseErrorBody(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("error", out var error))
            {
                return (null, null, null);
            }

            if (error.ValueKind == JsonValueKind.String)
            {
                return (null, null, error.GetString());
            }

            if (error.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null);
            }

            return (StringOrNull(error, "type"), StringOrNull(error, "code"), StringOrNull(error, "message"));
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    /// <summary>Replaces every occurrence of <paramref name="secret"/> in <paramref name="text"/>.</summary>
    public static string Redact(string text, string? secret) =>
        string.IsNullOrEmpty(secret) ? text : text.Replace(secret, "[redacted]", StringComparison.Ordinal);

    private static string Describe(string? type, string? code, string? message)
    {
        var kinds = string.Join("/", new[] { type, code }.Where(s => !string.IsNullOrEmpty(s)).Distinct());
        var text = kinds.Length > 0 ? $" ({kinds})" : string.Empty;
        return string.IsNullOrWhiteSpace(message) ? text : $"{text}: {Truncate(message.Trim())}";
    }

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>" {reason}" from a reason phrase: printable characters only, at most 60; empty when there is none.</summary>
    private static string Reason(string? reasonPhrase)
    {
        if (string.IsNullOrWhiteSpace(reasonPhrase))
        {
            return string.Empty;
        }

        var clean = new string(reasonPhrase.Where(c => !char.IsControl(c)).Take(60).ToArray()).Trim();
        return clean.Length == 0 ? string.Empty : " " + clean;
    }

    private static string Truncate(string text) =>
        text.Length <= MaxProviderMessageLength ? text : string.Concat(text.AsSpan(0, MaxProviderMessageLength), "…");

    private static string Origin(Uri? endpoint) => endpoint is null ? "(unknown endpoint)" : endpoint.GetLeftPart(UriPartial.Authority);
}
