namespace ClawScale.Plugins.Shared;

/// <summary>The assembled text of one model answer.</summary>
/// <param name="Text">The answer text (may be empty).</param>
/// <param name="StopReason">The provider's <c>finish_reason</c>/<c>stop_reason</c>, or <see langword="null"/>.</param>
internal sealed record ProviderAnswer(string Text, string? StopReason)
{
    /// <summary>
    /// The answer as reply texts (<see cref="ReplySplitter.Split"/>: at most 4000 characters each, split at paragraph,
    /// line, then word boundaries).
    /// </summary>
    /// <param name="provider">The provider's name, for error messages.</param>
    /// <param name="stopField">The provider's name of the stop field (<c>finish_reason</c>, <c>stop_reason</c>), for error messages.</param>
    /// <param name="refusalReason">The stop value meaning the provider refused to answer (<c>content_filter</c>, <c>refusal</c>).</param>
    /// <returns>One or more reply texts.</returns>
    /// <exception cref="ClawScale.Plugins.Agents.AgentException">The provider refused, or the answer held no text.</exception>
    public IReadOnlyList<string> ToReplyTexts(string provider, string stopField, string refusalReason)
    {
        if (StopReason == refusalReason) throw ProviderErrors.Refused(provider, $"{stopField} {refusalReason}");
        var parts = ReplySplitter.Split(Text);
        return parts.Count > 0
            ? parts
            : throw ProviderErrors.BadResponse(provider, $"the answer held no text ({stopField} {StopReason ?? "none"})");
    }
}
