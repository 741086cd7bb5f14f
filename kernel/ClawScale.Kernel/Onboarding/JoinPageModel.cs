namespace ClawScale.Kernel.Onboarding;

/// <summary>What the join page shows for one link.</summary>
/// <param name="ChannelName">The channel's display name (the heading).</param>
/// <param name="PlatformName">The platform's name for link texts ("Telegram", "Slack", "Discord", "the web chat", or the kind).</param>
/// <param name="OpenUrl">
/// The link to open: Telegram's deep link (carries the code), the web chat page with the code (carries it), or an invite
/// or install URL (does not); null when there is none.
/// </param>
/// <param name="OpenCarriesCode">Whether opening <paramref name="OpenUrl"/> sends the code by itself.</param>
/// <param name="MessageToSend">The exact first message that redeems the code (<c>/start &lt;code&gt;</c> on Telegram, else the code).</param>
internal sealed record JoinPageModel(string ChannelName, string PlatformName, string? OpenUrl, bool OpenCarriesCode, string MessageToSend);
