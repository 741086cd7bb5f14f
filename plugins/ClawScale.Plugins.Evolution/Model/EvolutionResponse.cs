namespace ClawScale.Plugins.Evolution.Model;

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
