namespace ClawScale.Plugins.Channels;

/// <summary>
/// A durable place for one channel's listener to keep its position in the platform's event stream (for example
/// Matrix's <c>/sync</c> <c>next_batch</c> token), so that a kernel restart, a failover to another kernel instance or a
/// plugin reload resumes where the listener stopped: nothing replayed twice to the agent, nothing lost. The kernel
/// stores it in its database (table <c>channel_listener_checkpoints</c>, one row per channel, deleted with the channel)
/// and hands it to the adapter as <see cref="ChannelContext.ListenerCheckpoint"/>.
/// </summary>
/// <remarks>
/// Write the checkpoint only after <see cref="IInboundSink.AcceptAsync"/> has returned for every message before it.
/// A kernel stopped between the two resumes from the previous checkpoint and hands the same messages to the sink again,
/// where they are deduplicated on their provider message id, so at-least-once plus deduplication gives exactly one
/// answer. The value is opaque to the kernel; it survives channel updates (a plugin whose checkpoint depends on the
/// configuration, such as the homeserver or account, should store those with it and ignore a checkpoint that does not
/// match). Only the instance that holds the channel's listener lease writes it.
/// </remarks>
public interface IListenerCheckpoint
{
    /// <summary>The longest value <see cref="WriteAsync"/> accepts, in UTF-16 code units (8192).</summary>
    const int MaxLength = 8192;

    /// <summary>Reads the stored value.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The last value written for this channel, or <see langword="null"/> when none was ever written.</returns>
    ValueTask<string?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="value"/> durably (replacing the previous value) before returning.</summary>
    /// <param name="value">The opaque position, 1–<see cref="MaxLength"/> characters.</param>
    /// <param name="cancellationToken">Cancels the write; on cancellation the previous value may remain.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty or longer than <see cref="MaxLength"/>.</exception>
    ValueTask WriteAsync(string value, CancellationToken cancellationToken);
}
