using System.Text.Json;

namespace ClawScale.Plugins.Teams.Model;

/// <summary>
/// A Bot Framework Activity as the Bot Connector POSTs it to the messaging endpoint (Bot Framework REST API reference
/// "Activity object"; Teams docs "Messages in bot conversations"). Only the fields the plugin reads; unknown fields are
/// ignored.
/// </summary>
public sealed record Activity
{
    /// <summary><c>message</c>, <c>conversationUpdate</c>, <c>typing</c>, <c>invoke</c>, …; only <c>message</c> is answered.</summary>
    public string? Type { get; init; }

    /// <summary>The activity's id within the conversation (in Teams the message id, for example <c>1485983408511</c>).</summary>
    public string? Id { get; init; }

    /// <summary>When the channel says the activity was sent (ISO 8601, UTC).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The Connector endpoint replies go to, for example <c>https://smba.trafficmanager.net/amer/</c>.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>The channel, <c>msteams</c> for Teams.</summary>
    public string? ChannelId { get; init; }

    /// <summary>The sender (<c>29:…</c> user id, <c>aadObjectId</c>).</summary>
    public ChannelAccount? From { get; init; }

    /// <summary>The conversation (<c>conversationType</c> personal / groupChat / channel, <c>tenantId</c>).</summary>
    public ConversationAccount? Conversation { get; init; }

    /// <summary>The bot (<c>28:{app id}</c>).</summary>
    public ChannelAccount? Recipient { get; init; }

    /// <summary><c>plain</c>, <c>markdown</c> or <c>xml</c>.</summary>
    public string? TextFormat { get; init; }

    /// <summary>The message text; in groups and channels it contains <c>&lt;at&gt;Bot name&lt;/at&gt;</c> for the mention.</summary>
    public string? Text { get; init; }

    /// <summary>Entities: <c>mention</c> (with <c>mentioned</c> and <c>text</c>), <c>clientInfo</c>, ….</summary>
    public IReadOnlyList<ActivityEntity>? Entities { get; init; }

    /// <summary>Files, images and the HTML rendition of the text.</summary>
    public IReadOnlyList<ActivityAttachment>? Attachments { get; init; }

    /// <summary>The id of the activity this one replies to, when any.</summary>
    public string? ReplyToId { get; init; }

    /// <summary>Teams channel data (<c>tenant.id</c>, <c>team</c>, <c>channel</c>); kept raw.</summary>
    public JsonElement? ChannelData { get; init; }
}
