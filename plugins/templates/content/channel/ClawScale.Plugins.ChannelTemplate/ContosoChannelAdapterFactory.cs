using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.ChannelTemplate;

/// <summary>
/// The plugin's entry point for the channel kind <c>contoso</c>. The kernel instantiates every public, non-abstract
/// <see cref="IChannelAdapterFactory"/> with a public parameterless constructor once per load of the plugin and reads
/// <see cref="Kind"/> at load time; keep the constructor trivial (if it throws, the whole plugin is reported failed).
/// </summary>
public sealed class ContosoChannelAdapterFactory : IChannelAdapterFactory
{
    /// <summary>The channel type (<c>Channel.kind</c> in the API): a constant, lower case, unique across loaded plugins.</summary>
    public string Kind => "contoso";

    /// <summary>
    /// Checks a channel's settings when an admin creates or updates it; see <see cref="ContosoOptions.Parse"/> for the
    /// keys. The kernel shows every returned problem to the admin at once.
    /// </summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found, each naming the field and what it must be; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ContosoOptions.Parse(config, credentials, out var errors);
        return errors;
    }

    /// <summary>Creates the adapter of one configured channel.</summary>
    /// <param name="context">The channel, its settings and the kernel's services.</param>
    /// <returns>The adapter; the kernel disposes it when the channel changes or the plugin is reloaded.</returns>
    /// <exception cref="ArgumentException">The settings are invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = ContosoOptions.Parse(context.Config, context.Credentials, out var errors)
            ?? throw new ArgumentException($"Channel {context.ChannelId} is misconfigured: {string.Join("; ", errors)}", nameof(context));
        var api = new ContosoApiClient(context.HttpClient, options, context.TimeProvider);
        return new ContosoChannelAdapter(context, options, api);
    }
}
