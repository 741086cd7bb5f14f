namespace ClawScale.Plugins.Discord.Model;

/// <summary>The synchronous answer to an interaction ("Interaction Response Structure"): <c>{"type": n}</c>.</summary>
public sealed record InteractionResponse
{
    /// <summary>1 PONG, 5 DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, 6 DEFERRED_UPDATE_MESSAGE, 8 AUTOCOMPLETE_RESULT.</summary>
    public int Type { get; init; }
}
