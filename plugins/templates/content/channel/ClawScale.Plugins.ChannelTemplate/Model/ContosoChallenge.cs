namespace ClawScale.Plugins.ChannelTemplate.Model;

/// <summary>The answer to a <c>ping</c> event: <c>{"challenge": "…"}</c>, echoing the platform's value.</summary>
public sealed record ContosoChallenge
{
    /// <summary>The value the platform sent.</summary>
    public string? Challenge { get; init; }
}
