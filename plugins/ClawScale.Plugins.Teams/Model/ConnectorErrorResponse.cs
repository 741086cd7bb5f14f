namespace ClawScale.Plugins.Teams.Model;

/// <summary>
/// The Connector's error body (REST API reference "ErrorResponse object"): <c>{"error": {"code": "...", "message": "..."}}</c>;
/// codes are listed in Teams docs "Status codes from bot conversational APIs".
/// </summary>
public sealed record ConnectorErrorResponse
{
    /// <summary>The error.</summary>
    public ConnectorError? Error { get; init; }
}
