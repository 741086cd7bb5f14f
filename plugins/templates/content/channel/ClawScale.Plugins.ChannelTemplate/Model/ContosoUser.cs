namespace ClawScale.Plugins.ChannelTemplate.Model;

/// <summary>A platform user.</summary>
public sealed record ContosoUser
{
    /// <summary>The platform's stable user id (becomes the external identity <c>(contoso, user_id, id)</c>).</summary>
    public string? Id { get; init; }

    /// <summary>The display name, or null.</summary>
    public string? Name { get; init; }

    /// <summary>Whether the user is a bot (the kernel ignores bots).</summary>
    public bool? IsBot { get; init; }
}
