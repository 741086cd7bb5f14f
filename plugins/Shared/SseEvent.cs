namespace ClawScale.Plugins.Shared;

/// <summary>One dispatched server-sent event.</summary>
/// <param name="EventType">The <c>event:</c> field, or <see langword="null"/> when the event had none.</param>
/// <param name="Data">The <c>data:</c> lines joined with <c>\n</c>.</param>
internal readonly record struct SseEvent(string? EventType, string Data);
