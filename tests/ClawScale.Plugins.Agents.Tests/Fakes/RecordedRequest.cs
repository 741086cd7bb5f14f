using System.Text.Json.Nodes;

namespace ClawScale.Plugins.Agents.Tests.Fakes;

/// <summary>A request a fake provider received.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path, for example <c>/v1/messages</c>.</param>
/// <param name="Headers">Headers, names lower case (multiple values joined with <c>, </c>).</param>
/// <param name="Body">The raw body.</param>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The body parsed as JSON.</summary>
    public JsonNode Json => JsonNode.Parse(Body)!;

    /// <summary>A header value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}
