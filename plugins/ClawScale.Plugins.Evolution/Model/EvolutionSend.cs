using System.Text.Json;

namespace ClawScale.Plugins.Evolution.Model;

/// <summary>
/// The body of <c>POST /message/sendText/{instance}</c> (Evolution API v2 reference "Send Plain Text"): <c>number</c>,
/// <c>text</c>, and optionally <c>quoted</c> (the message replied to, by its key id).
/// </summary>
public sealed record SendTextRequest
{
    /// <summary>The recipient: a number with country code, or a JID (<c>…@g.us</c> for a group).</summary>
    public required string Number { get; init; }

    /// <summary>The text.</summary>
    public required string Text { get; init; }

    /// <summary>The message to quote, or null.</summary>
    public SendQuoted? Quoted { get; init; }
}

/// <summary><c>quoted</c> of a send.</summary>
public sealed record SendQuoted
{
    /// <summary>The quoted message's key.</summary>
    public required SendQuotedKey Key { get; init; }
}

/// <summary><c>quoted.key</c>.</summary>
public sealed record SendQuotedKey
{
    /// <summary>The quoted message's id.</summary>
    public required string Id { get; init; }
}

/// <summary>
/// An Evolution answer: on success of a send the new message (<c>{"key":{"remoteJid","fromMe","id"},"message",
/// "messageTimestamp","status"}</c>), of a connection state <c>{"instance":{"instanceName","state"}}</c>; on failure
/// <c>{"status","error","response":{"message"}}</c>.
/// </summary>
public sealed record EvolutionResponse
{
    /// <summary>The sent message's key.</summary>
    public EvolutionKey? Key { get; init; }

    /// <summary>The connection state answer.</summary>
    public EvolutionInstanceState? Instance { get; init; }

    /// <summary>The error's HTTP reason, for example <c>Bad Request</c>.</summary>
    public string? Error { get; init; }

    /// <summary>The error's details (<c>message</c>: a string or an array).</summary>
    public EvolutionErrorResponse? Response { get; init; }
}

/// <summary><c>instance</c> of a connection state answer.</summary>
public sealed record EvolutionInstanceState
{
    /// <summary>The instance's name.</summary>
    public string? InstanceName { get; init; }

    /// <summary><c>open</c> when connected to WhatsApp; <c>connecting</c> or <c>close</c> otherwise.</summary>
    public string? State { get; init; }
}

/// <summary><c>response</c> of an error.</summary>
public sealed record EvolutionErrorResponse
{
    /// <summary>A string, or an array of strings or objects (for example <c>{"exists":false,"jid","number"}</c>).</summary>
    public JsonElement Message { get; init; }
}
