namespace ClawScale.Plugins.Webhook.Model;

/// <summary>
/// The JSON body a system POSTs to <c>/webhooks/{channelId}</c> (format version 1; see the plugin's README).
/// Every property is nullable here so that <see cref="WebhookMapper.ParseInbound"/> can name each missing field.
/// </summary>
public sealed record InboundPayload
{
    /// <summary>The format version; absent means 1, any other value is refused.</summary>
    public int? Version { get; init; }

    /// <summary>Required. The sender's unique id of this message: the deduplication key (at most 256 characters).</summary>
    public string? Id { get; init; }

    /// <summary>Required. The conversation the message belongs to; replies go back to it (at most 256 characters).</summary>
    public string? ChatId { get; init; }

    /// <summary>Optional. A thread inside the chat; replies go back into it.</summary>
    public string? ThreadId { get; init; }

    /// <summary>Required. Who wrote the message.</summary>
    public InboundSender? Sender { get; init; }

    /// <summary>The text; required unless <see cref="Attachments"/> is non-empty.</summary>
    public string? Text { get; init; }

    /// <summary>Optional files sent with the message.</summary>
    public IReadOnlyList<InboundAttachment?>? Attachments { get; init; }

    /// <summary>Optional. <c>direct</c> (default) or <c>group</c>.</summary>
    public string? ChatType { get; init; }

    /// <summary>Optional. Whether the bot is addressed; default true in direct chats and false in groups.</summary>
    public bool? Addressed { get; init; }
}
