using ClawScale.Plugins.Channels;

namespace ClawScale.Kernel.Channels;

/// <summary>The result of <see cref="IChannelRegistry.GetAsync"/>: a live adapter, or why there is none.</summary>
/// <param name="Handle">The adapter and its channel, or null.</param>
/// <param name="Problem">Why there is no adapter (unknown channel, archived, kind not loaded), or null.</param>
internal sealed record ChannelLookup(ChannelHandle? Handle, string? Problem);

/// <summary>A live channel adapter.</summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="TenantId">Its tenant.</param>
/// <param name="Kind">Its kind (<c>telegram</c>, <c>webchat</c>, …).</param>
/// <param name="Adapter">The adapter; call it through <c>IPluginInvoker</c> so timeouts and faults are contained.</param>
/// <param name="Source">The plugin name, or <c>builtin</c>.</param>
internal sealed record ChannelHandle(string ChannelId, string TenantId, string Kind, IChannelAdapter Adapter, string Source);
