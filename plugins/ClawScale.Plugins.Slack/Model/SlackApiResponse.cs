namespace ClawScale.Plugins.Slack.Model;

/// <summary>
/// The Web API answer envelope (Slack docs "Web API: evaluating responses"): <c>{ok, error, warning, …}</c> with the
/// fields of the methods the plugin calls (chat.postMessage: channel, ts; auth.test: user_id, team_id, bot_id;
/// apps.connections.open: url).
/// </summary>
public sealed record SlackApiResponse
{
    /// <summary>Whether the call succeeded.</summary>
    public bool Ok { get; init; }

    /// <summary>The error code when not <see cref="Ok"/> (<c>channel_not_found</c>, <c>ratelimited</c>, …).</summary>
    public string? Error { get; init; }

    /// <summary>Warnings, comma-separated.</summary>
    public string? Warning { get; init; }

    /// <summary>chat.postMessage: the channel posted to.</summary>
    public string? Channel { get; init; }

    /// <summary>chat.postMessage: the new message's ts.</summary>
    public string? Ts { get; init; }

    /// <summary>auth.test: the token's user id (the bot user for a bot token).</summary>
    public string? UserId { get; init; }

    /// <summary>auth.test: the workspace id.</summary>
    public string? TeamId { get; init; }

    /// <summary>auth.test: the bot id, <c>B…</c>.</summary>
    public string? BotId { get; init; }

    /// <summary>apps.connections.open: the WebSocket URL (wss://…), valid for one connection.</summary>
    public string? Url { get; init; }
}
