namespace ClawScale.Plugins.Channels;

/// <summary>
/// Optional for a <see cref="IChannelAdapter"/>: a link that opens a conversation with the channel's bot and makes its
/// first message carry a start code, for the kernel's onboarding page (<c>GET /join/{token}</c>). For example Telegram's
/// deep link <c>https://t.me/&lt;bot username&gt;?start=&lt;code&gt;</c>, which sends <c>/start &lt;code&gt;</c> when the
/// user presses Start (Bot API "Deep linking"). Adapters whose platform has no such link do not implement it; the page
/// then tells the user to send the code.
/// </summary>
public interface IChannelStartLink
{
    /// <summary>The link for <paramref name="startCode"/>, or null while the adapter does not know it yet (for example before getMe answered).</summary>
    /// <param name="startCode">The code: 1 to 64 characters of <c>A-Z a-z 0-9 _ -</c>.</param>
    /// <returns>An absolute https URL, or null.</returns>
    Uri? GetStartLink(string startCode);
}
