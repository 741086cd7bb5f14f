namespace ClawScale.Plugins.Messages;

/// <summary>
/// The platform user who sent a message. The kernel maps (<see cref="Provider"/>, <see cref="IdentityType"/>,
/// <see cref="Value"/>) to a tenant's Customer through an external identity.
/// </summary>
public sealed record ExternalUser
{
    /// <summary>The identity provider, usually the channel kind, for example <c>telegram</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>The kind of identifier; <c>user_id</c> unless the platform identifies users otherwise.</summary>
    public string IdentityType { get; init; } = "user_id";

    /// <summary>The platform's stable identifier of the user, for example Telegram's <c>from.id</c> as a string.</summary>
    public required string Value { get; init; }

    /// <summary>The user's display name, or <see langword="null"/>.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The user's handle without <c>@</c>, or <see langword="null"/>.</summary>
    public string? Username { get; init; }

    /// <summary>Whether the sender is a bot. The kernel ignores messages from bots.</summary>
    public bool IsBot { get; init; }
}
