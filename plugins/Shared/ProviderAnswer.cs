namespace ClawScale.Plugins.Shared;

/// <summary>The assembled text of one model answer.</summary>
/// <param name="Text">The answer text (may be empty).</param>
/// <param name="StopReason">The provider's <c>finish_reason</c>/<c>stop_reason</c>, or <see langword="null"/>.</param>
internal sealed record ProviderAnswer(string Text, string? StopReason);
