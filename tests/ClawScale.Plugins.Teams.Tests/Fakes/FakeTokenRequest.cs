namespace ClawScale.Plugins.Teams.Tests.Fakes;

/// <summary>One client-credentials request received by <see cref="FakeBotFramework"/>'s token endpoint.</summary>
public sealed record FakeTokenRequest
{
    /// <summary>The tenant segment of the path (<c>botframework.com</c> for multi-tenant bots).</summary>
    public required string Tenant { get; init; }

    /// <summary>The form fields.</summary>
    public required IReadOnlyDictionary<string, string> Form { get; init; }
}
