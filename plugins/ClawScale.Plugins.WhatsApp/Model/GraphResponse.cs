namespace ClawScale.Plugins.WhatsApp.Model;

/// <summary>
/// A Graph API answer: on success of a send, <c>{"messaging_product","contacts":[{"input","wa_id"}],"messages":[{"id"}]}</c>;
/// on failure, <c>{"error": {"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}</c>
/// (Graph API docs "Handling errors"; WhatsApp Cloud API "Error codes").
/// </summary>
public sealed record GraphResponse
{
    /// <summary>The sent messages (one), with the new <c>wamid.…</c>.</summary>
    public IReadOnlyList<GraphMessageId>? Messages { get; init; }

    /// <summary>The business number's display number (answer of <c>GET /{phone-number-id}</c>).</summary>
    public string? DisplayPhoneNumber { get; init; }

    /// <summary>The error, on failure.</summary>
    public GraphError? Error { get; init; }
}

/// <summary><c>messages[]</c> of a send answer.</summary>
public sealed record GraphMessageId
{
    /// <summary>The sent message's id.</summary>
    public string? Id { get; init; }
}

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

/// <summary><c>error.error_data</c>.</summary>
public sealed record GraphErrorData
{
    /// <summary>A longer explanation.</summary>
    public string? Details { get; init; }
}
