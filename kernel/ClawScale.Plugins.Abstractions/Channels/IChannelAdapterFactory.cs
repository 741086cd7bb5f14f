using ClawScale.Plugins.Configuration;

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

    /// <summary>
    /// The config keys that say where the adapter sends the channel's credentials or connects with them: API base
    /// URLs, gateway URLs, callback URLs, proxies (for example <c>["api_base_url"]</c> for Telegram). Exact, case-sensitive
    /// key names; default: none declared.
    /// </summary>
    /// <remarks>
    /// Credentials are write-only, so the kernel refuses (INVALID_ARGUMENT) an <c>UpdateChannel</c> that changes,
    /// sets or removes one of these keys unless the same call gives every stored credential again; otherwise the
    /// stored secrets would be sent to a host the caller chose. The kernel also treats keys named like an endpoint
    /// (<c>endpoint</c>, or ending in <c>url</c>, <c>uri</c>, <c>host</c>, <c>hostname</c>, <c>proxy</c>, <c>server</c>,
    /// <c>address</c>, <c>addr</c>, or their plurals, ignoring case) and keys whose value is an absolute URL as endpoints,
    /// so declare the others here. Read once per call; keep it constant and cheap.
    /// </remarks>
    IReadOnlyCollection<string> EndpointConfigKeys => [];

    /// <summary>
    /// The settings this kind accepts, in the order a form shows them: non-secret <c>config</c> keys and write-only
    /// <c>credentials</c> (<see cref="ConfigField.Secret"/>). Served by <c>AdminService.ListKinds</c> and <c>ListPlugins</c>
    /// and used by the admin console to generate the channel's create/edit form. Default: none declared (the console then
    /// offers free key/value entry). Read once per call; keep it constant and cheap.
    /// </summary>
    IReadOnlyList<ConfigField> ConfigFields => [];

    /// <summary>Creates the adapter of one channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter; the kernel disposes it.</returns>
    IChannelAdapter Create(ChannelContext context);
}
