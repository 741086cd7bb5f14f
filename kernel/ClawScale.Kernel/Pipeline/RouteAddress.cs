namespace ClawScale.Kernel.Pipeline;

/// <summary>The addressing part of a delivery route: what a send needs.</summary>
/// <param name="Id">The route.</param>
/// <param name="ChannelId">Its channel.</param>
/// <param name="ExternalChatId">The platform chat.</param>
/// <param name="ExternalThreadId">The platform thread, or empty.</param>
internal sealed record RouteAddress(string Id, string ChannelId, string ExternalChatId, string ExternalThreadId);
