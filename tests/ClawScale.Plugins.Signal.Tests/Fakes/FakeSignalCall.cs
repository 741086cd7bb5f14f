namespace ClawScale.Plugins.Signal.Tests.Fakes;

/// <summary>One call the fake signal-cli-rest-api received.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query.</param>
/// <param name="Body">The request body (UTF-8), or empty.</param>
/// <param name="Authorization">The Authorization header, or null.</param>
/// <param name="Status">The status the fake answered.</param>
/// <param name="ReceivedAt">When the call arrived (wall clock).</param>
public sealed record FakeSignalCall(string Method, string Path, string Body, string? Authorization, int Status, DateTimeOffset ReceivedAt)
{
    /// <summary>The <c>recipients</c> of a send.</summary>
    public IReadOnlyList<string> Recipients =>
        string.IsNullOrEmpty(Body) || System.Text.Json.Nodes.JsonNode.Parse(Body)?["recipients"] is not System.Text.Json.Nodes.JsonArray array
            ? []
            : array.Select(n => n?.GetValue<string>() ?? string.Empty).ToArray();

    /// <summary>A top-level string field of the JSON body, or null.</summary>
    public string? Field(string name)
    {
        if (string.IsNullOrEmpty(Body)) return null;
        var node = System.Text.Json.Nodes.JsonNode.Parse(Body)?[name];
        return node is null ? null : node is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();
    }
}
