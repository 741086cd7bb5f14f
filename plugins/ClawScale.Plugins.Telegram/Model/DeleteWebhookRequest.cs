namespace ClawScale.Plugins.Telegram.Model;

/// <summary>The body of deleteWebhook (Bot API "deleteWebhook").</summary>
public sealed record DeleteWebhookRequest
{
    /// <summary>Whether to drop all pending updates ("drop_pending_updates"). Default false.</summary>
    public bool DropPendingUpdates { get; init; }
}
