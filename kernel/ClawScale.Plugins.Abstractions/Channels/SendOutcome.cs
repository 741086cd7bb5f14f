namespace ClawScale.Plugins.Channels;

/// <summary>The outcome of <see cref="IChannelAdapter.SendAsync"/>.</summary>
public enum SendOutcome
{
    /// <summary>The platform accepted the message.</summary>
    Delivered = 1,

    /// <summary>A transient failure; the kernel retries with backoff, honouring <see cref="SendResult.RetryAfter"/>.</summary>
    Retry = 2,

    /// <summary>A permanent failure; the kernel moves the delivery to the dead letters.</summary>
    PermanentFailure = 3,
}
