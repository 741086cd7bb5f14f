namespace ClawScale.Plugins.Teams.Model;

/// <summary>A Bot Framework ConversationAccount (REST API reference "ConversationAccount object"; Teams adds <c>tenantId</c>).</summary>
public sealed record ConversationAccount
{
    /// <summary>The conversation id: <c>a:…</c> (personal), <c>19:…@thread.v2</c> (group chat), <c>19:…@thread.tacv2;messageid=…</c> (channel thread).</summary>
    public string? Id { get; init; }

    /// <summary><c>personal</c>, <c>groupChat</c> or <c>channel</c>.</summary>
    public string? ConversationType { get; init; }

    /// <summary>Whether the conversation has more than two participants.</summary>
    public bool? IsGroup { get; init; }

    /// <summary>The Microsoft Entra tenant of the conversation.</summary>
    public string? TenantId { get; init; }

    /// <summary>The conversation's display name, when any.</summary>
    public string? Name { get; init; }
}
