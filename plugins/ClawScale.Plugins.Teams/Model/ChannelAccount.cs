namespace ClawScale.Plugins.Teams.Model;

/// <summary>A Bot Framework ChannelAccount: a user or bot in a conversation (REST API reference "ChannelAccount object").</summary>
public sealed record ChannelAccount
{
    /// <summary>The channel's id of the account: <c>29:…</c> for Teams users, <c>28:{app id}</c> for bots.</summary>
    public string? Id { get; init; }

    /// <summary>The display name.</summary>
    public string? Name { get; init; }

    /// <summary>The user's Microsoft Entra object id (Teams), stable across bots.</summary>
    public string? AadObjectId { get; init; }

    /// <summary><c>user</c> or <c>bot</c>, when the channel says.</summary>
    public string? Role { get; init; }
}
