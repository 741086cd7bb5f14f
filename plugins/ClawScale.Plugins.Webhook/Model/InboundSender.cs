namespace ClawScale.Plugins.Webhook.Model;

/// <summary>The <c>sender</c> object of an <see cref="InboundPayload"/>.</summary>
public sealed record InboundSender
{
    /// <summary>Required. The sending system's stable id of the user (at most 256 characters).</summary>
    public string? Id { get; init; }

    /// <summary>Optional. The user's display name.</summary>
    public string? Name { get; init; }

    /// <summary>Optional. Whether the sender is a bot (the kernel ignores bots' messages); default false.</summary>
    public bool? IsBot { get; init; }
}
