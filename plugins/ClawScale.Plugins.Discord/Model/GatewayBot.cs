namespace ClawScale.Plugins.Discord.Model;

/// <summary>The answer of "Get Gateway Bot" (<c>GET /gateway/bot</c>), the field this plugin uses.</summary>
public sealed record GatewayBot
{
    /// <summary>The WSS URL to connect to (without query).</summary>
    public string? Url { get; init; }
}
