namespace ClawScale.Plugins.Matrix.Tests.Fakes;

/// <summary>One call the fake homeserver received.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The decoded path.</param>
/// <param name="Since">The <c>since</c> query parameter of a sync, or null.</param>
/// <param name="Body">The request body.</param>
/// <param name="Status">The status answered.</param>
/// <param name="ReceivedAt">When it arrived (wall clock).</param>
public sealed record FakeMatrixCall(string Method, string Path, string? Since, string Body, int Status, DateTimeOffset ReceivedAt)
{
    /// <summary>The room id of a send (<c>/rooms/{roomId}/send/…</c>), or null.</summary>
    public string? RoomId { get; init; }

    /// <summary>The transaction id of a send, or null.</summary>
    public string? TxnId { get; init; }

    /// <summary>A top-level string field of the JSON body, or null.</summary>
    public string? Field(string name) =>
        string.IsNullOrEmpty(Body) ? null : System.Text.Json.Nodes.JsonNode.Parse(Body)?[name]?.ToString();

    /// <summary>The <c>m.relates_to.m.in_reply_to.event_id</c> of a sent message, or null.</summary>
    public string? InReplyTo =>
        string.IsNullOrEmpty(Body) ? null : System.Text.Json.Nodes.JsonNode.Parse(Body)?["m.relates_to"]?["m.in_reply_to"]?["event_id"]?.ToString();
}
