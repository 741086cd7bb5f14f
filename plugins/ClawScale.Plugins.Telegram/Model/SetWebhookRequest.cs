namespace ClawScale.Plugins.Telegram.Model;

/// <summary>The body of setWebhook (Bot API "setWebhook").</summary>
public sealed record SetWebhookRequest
{
    /// <summary>The HTTPS URL to send updates to ("url"); ports 443, 80, 88 or 8443.</summary>
    public required string Url { get; init; }

    /// <summary>Sent back in the <c>X-Telegram-Bot-Api-Secret-Token</c> header; 1–256 of A-Z a-z 0-9 _ - ("secret_token").</summary>
    public string? SecretToken { get; init; }

    /// <summary>The update types to receive; <see langword="null"/> keeps the previous setting ("allowed_updates").</summary>
    public IReadOnlyList<string>? AllowedUpdates { get; init; }

    /// <summary>Whether to drop all pending updates ("drop_pending_updates").</summary>
    public bool DropPendingUpdates { get; init; }
}
