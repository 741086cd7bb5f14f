namespace ClawScale.Plugins.ChannelTemplate.Model;

/// <summary>The platform's answer to a send: the new message's id.</summary>
public sealed record ContosoSendResponse
{
    /// <summary>The platform's id of the sent message, or null.</summary>
    public string? Id { get; init; }
}
