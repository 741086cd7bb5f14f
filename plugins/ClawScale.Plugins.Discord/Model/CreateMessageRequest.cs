namespace ClawScale.Plugins.Discord.Model;

/// <summary>
/// The JSON body of "Create Message" (<c>POST /channels/{channel.id}/messages</c>) and of "Execute Webhook" /
/// "Edit Original Interaction Response" (which ignore <see cref="Nonce"/> and <see cref="MessageReference"/>).
/// </summary>
public sealed record CreateMessageRequest
{
    /// <summary>The text, at most 2000 characters.</summary>
    public string? Content { get; init; }

    /// <summary>A client nonce (at most 25 characters); with <see cref="EnforceNonce"/> Discord drops a duplicate sent within a few minutes.</summary>
    public string? Nonce { get; init; }

    /// <summary>Whether Discord must deduplicate on <see cref="Nonce"/>.</summary>
    public bool? EnforceNonce { get; init; }

    /// <summary>The message to reply to.</summary>
    public MessageReference? MessageReference { get; init; }

    /// <summary>Which mentions may ping.</summary>
    public AllowedMentions? AllowedMentions { get; init; }
}
