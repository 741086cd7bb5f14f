using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Signal.Model;

/// <summary>
/// One item of <c>GET /v1/receive/{number}</c>'s JSON array (normal/native mode), or one WebSocket text frame of
/// <c>/v1/receive/{number}</c> (json-rpc mode): signal-cli's JSON output <c>{"envelope": {…}, "account": "+…"}</c>.
/// In json-rpc mode a frame may instead be <c>{"error": "…"}</c>. Source: signal-cli-rest-api swagger
/// (<c>receive.MessageEnvelope</c>) and signal-cli's <c>--output=json</c>.
/// </summary>
public sealed record SignalReceived
{
    /// <summary>The envelope, absent on error frames.</summary>
    [JsonPropertyName("envelope")]
    public SignalEnvelope? Envelope { get; init; }

    /// <summary>The receiving account (the bot's number, E.164).</summary>
    [JsonPropertyName("account")]
    public string? Account { get; init; }

    /// <summary>An error reported on the json-rpc WebSocket.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }
}
