namespace ClawScale.Plugins.ChannelTemplate.Model;

/// <summary>A chat: its id and whether it is a one-to-one (<c>direct</c>) or a <c>group</c> chat.</summary>
public sealed record ContosoChat
{
    /// <summary>The platform's chat id; replies go there.</summary>
    public string? Id { get; init; }

    /// <summary><c>direct</c> or <c>group</c>.</summary>
    public string? Type { get; init; }
}
