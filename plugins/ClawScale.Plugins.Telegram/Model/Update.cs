using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Telegram.Model;

/// <summary>
/// An incoming update (Bot API "Update"): at most one of the optional fields is present. Only <see cref="Message"/>
/// is mapped; the other kinds (edited_message, channel_post, callback_query, …) land in <see cref="Other"/> so that
/// the adapter can name them when it ignores them.
/// </summary>
public sealed record Update
{
    /// <summary>The update's unique identifier; increases by one per update (Bot API "update_id").</summary>
    public long UpdateId { get; init; }

    /// <summary>A new incoming message of any kind: text, photo, document, … (Bot API "message").</summary>
    public Message? Message { get; init; }

    /// <summary>Every other field of the update (update kinds the plugin does not map).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
