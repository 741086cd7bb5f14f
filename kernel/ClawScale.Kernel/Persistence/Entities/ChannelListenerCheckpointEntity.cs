namespace ClawScale.Kernel.Persistence.Entities;

/// <summary>
/// Row of <c>channel_listener_checkpoints</c>: the position a channel's listener has reached in its platform's stream
/// (for example Matrix's <c>/sync</c> <c>next_batch</c> token), written by the plugin through
/// <c>ChannelContext.ListenerCheckpoint</c> after the messages before it were accepted. At most one row per channel;
/// deleted with the channel.
/// </summary>
internal sealed class ChannelListenerCheckpointEntity
{
    public required string ChannelId { get; set; }

    /// <summary>The plugin's opaque value, at most <see cref="MaxLength"/> characters.</summary>
    public required string Value { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>The longest value a plugin may store, in UTF-16 code units.</summary>
    public const int MaxLength = 8192;
}
