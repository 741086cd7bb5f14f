namespace ClawScale.Plugins.Telegram;

/// <summary>How a Telegram channel receives updates (Bot API "Getting updates": the two are mutually exclusive).</summary>
public enum TelegramMode
{
    /// <summary>Telegram POSTs each update to the kernel's public webhook route (setWebhook with secret_token).</summary>
    Webhook = 1,

    /// <summary>The kernel long-polls getUpdates; no public URL needed.</summary>
    Polling = 2,
}
