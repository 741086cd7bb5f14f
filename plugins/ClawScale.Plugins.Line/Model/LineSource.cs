namespace ClawScale.Plugins.Line.Model;

/// <summary><c>source</c>: a user (one-to-one chat), a group chat or a multi-person chat (room).</summary>
public sealed record LineSource
{
    /// <summary><c>user</c>, <c>group</c> or <c>room</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The sending user's id.</summary>
    public string? UserId { get; init; }

    /// <summary>The group chat's id (type <c>group</c>).</summary>
    public string? GroupId { get; init; }

    /// <summary>The multi-person chat's id (type <c>room</c>).</summary>
    public string? RoomId { get; init; }
}
