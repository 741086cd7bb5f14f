namespace ClawScale.Plugins.Discord.Model;

/// <summary>The READY dispatch data (Gateway "Ready"), the fields this plugin uses.</summary>
public sealed record Ready
{
    /// <summary>The session id, needed to resume.</summary>
    public string? SessionId { get; init; }

    /// <summary>The URL to reconnect to when resuming (wss, without query).</summary>
    public string? ResumeGatewayUrl { get; init; }

    /// <summary>The bot's own user.</summary>
    public DiscordUser? User { get; init; }
}
