using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Webhook.Model;

/// <summary>
/// The JSON body POSTed to the channel's <c>callback_url</c> for each outbound message (format version 1). Every
/// key is always present (null when unset), and the body is the same on every retry of a delivery.
/// </summary>
public sealed record CallbackPayload
{
    /// <summary>The format version, 1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>The kernel's delivery id, stable across retries.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>The delivery's idempotency key (also the <c>Idempotency-Key</c> header): show each key once.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The chat to post into (the inbound <c>chat_id</c>).</summary>
    public required string ChatId { get; init; }

    /// <summary>The thread to post into (the inbound <c>thread_id</c>), or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ThreadId { get; init; }

    /// <summary>The text, or null when only attachments are sent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Text { get; init; }

    /// <summary>Files to show; empty when none.</summary>
    public IReadOnlyList<CallbackAttachment> Attachments { get; init; } = [];

    /// <summary>The inbound message <c>id</c> this answers, or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ReplyTo { get; init; }
}
