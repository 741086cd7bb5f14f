namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary>The documented <c>error</c> object of a Graph API failure.</summary>
public sealed record GraphError
{
    /// <summary>A description, for example <c>(#131047) Re-engagement message</c>.</summary>
    public string? Message { get; init; }

    /// <summary>The exception type, for example <c>OAuthException</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The error code (see the Cloud API "Error codes" table), for example 131047 or 190.</summary>
    public int? Code { get; init; }

    /// <summary>A more precise code, when given.</summary>
    public int? ErrorSubcode { get; init; }

    /// <summary>Details (<c>details</c>).</summary>
    public GraphErrorData? ErrorData { get; init; }
}
