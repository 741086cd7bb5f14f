namespace ClawScale.Plugins.Channels;

/// <summary>
/// The entry point of a channel plugin. The plugin host finds every public, non-abstract class implementing
/// this interface with a public parameterless constructor in a plugin assembly. <see cref="Kind"/> must be
/// unique across loaded plugins.
/// </summary>
public interface IChannelAdapterFactory
{
    /// <summary>The channel type, lower case, for example <c>telegram</c>; <c>Channel.kind</c> in the API.</summary>
    string Kind { get; }

    /// <summary>
    /// Checks a channel's configuration and credentials at CreateChannel/UpdateChannel. Each returned string
    /// names the field and what it must be (for example <c>credentials.bot_token is required</c>); empty when valid.
    /// </summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found.</returns>
    IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials);

    /// <summary>Creates the adapter of one channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter; the kernel disposes it.</returns>
    IChannelAdapter Create(ChannelContext context);
}
