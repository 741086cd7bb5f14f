namespace ClawScale.Plugins.Telegram.Model;

/// <summary>Why a request failed and how to recover (Bot API "ResponseParameters").</summary>
public sealed record ResponseParameters
{
    /// <summary>The group was migrated to a supergroup with this identifier ("migrate_to_chat_id").</summary>
    public long? MigrateToChatId { get; init; }

    /// <summary>Flood control: seconds to wait before the request can be repeated ("retry_after").</summary>
    public int? RetryAfter { get; init; }
}
