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
