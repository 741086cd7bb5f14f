namespace ClawScale.Plugins.Channels;

/// <summary>Where a channel adapter reports its connection state; shown in AdminService.GetChannel and health.</summary>
public interface IChannelStatusSink
{
    /// <summary>The adapter reached the platform and receives messages.</summary>
    /// <param name="cancellationToken">Cancels the report.</param>
    ValueTask ReportConnectedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The adapter cannot work until an admin acts (for example the platform rejected the token or a Discord
    /// close code that must not be retried). <paramref name="error"/> says what to do.
    /// </summary>
    /// <param name="error">A message for admins; never a secret.</param>
    /// <param name="cancellationToken">Cancels the report.</param>
    ValueTask ReportErrorAsync(string error, CancellationToken cancellationToken);
}
