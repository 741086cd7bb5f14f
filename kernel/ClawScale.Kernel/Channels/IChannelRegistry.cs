namespace ClawScale.Kernel.Channels;

/// <summary>
/// The live adapters of configured channels. An adapter is created on first use from the channel's row (decrypted
/// credentials) and its kind's factory (a loaded plugin or a built-in channel such as <c>webchat</c>), and disposed
/// when the channel changes, is deleted, or its plugin is reloaded.
/// </summary>
internal interface IChannelRegistry
{
    /// <summary>
    /// The adapter of <paramref name="channelId"/>, or null when the channel does not exist, is archived, or its kind
    /// has no loaded factory (the reason is in <see cref="ChannelLookup.Problem"/>).
    /// </summary>
    ValueTask<ChannelLookup> GetAsync(string channelId, CancellationToken cancellationToken);

    /// <summary>Drops the cached adapter of a channel (after an admin change); the next <see cref="GetAsync"/> recreates it.</summary>
    ValueTask InvalidateAsync(string channelId);
}
