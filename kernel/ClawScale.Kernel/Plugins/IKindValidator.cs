namespace ClawScale.Kernel.Plugins;

/// <summary>
/// Checks a channel or agent kind and its settings against the loaded plugins at Create/Update time, so a typo is
/// INVALID_ARGUMENT at once instead of a channel that silently never works.
/// </summary>
internal interface IKindValidator
{
    /// <summary>Every problem with a channel of <paramref name="kind"/>, each naming its field; empty when valid.</summary>
    IReadOnlyList<string> ValidateChannel(string kind, IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials);

    /// <summary>Every problem with an agent of <paramref name="kind"/>, each naming its field; empty when valid.</summary>
    IReadOnlyList<string> ValidateAgent(string kind, IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials);

    /// <summary>
    /// The config keys a channel of <paramref name="kind"/> declares as endpoints
    /// (<see cref="ClawScale.Plugins.Channels.IChannelAdapterFactory.EndpointConfigKeys"/>); empty for an unknown kind.
    /// </summary>
    /// <exception cref="ClawScale.Plugins.Hosting.PluginCallException">The plugin's declaration threw.</exception>
    IReadOnlyCollection<string> ChannelEndpointKeys(string kind);

    /// <summary>
    /// The config keys an agent of <paramref name="kind"/> declares as endpoints
    /// (<see cref="ClawScale.Plugins.Agents.IAgentBackendFactory.EndpointConfigKeys"/>; <c>endpoint</c> for the
    /// built-in <c>grpc-runtime</c>); empty for an unknown kind.
    /// </summary>
    /// <exception cref="ClawScale.Plugins.Hosting.PluginCallException">The plugin's declaration threw.</exception>
    IReadOnlyCollection<string> AgentEndpointKeys(string kind);

    /// <summary>
    /// Every channel kind served (built-in ones, then loaded plugins', by kind) with its declared settings
    /// (<see cref="ClawScale.Plugins.Channels.IChannelAdapterFactory.ConfigFields"/>); a plugin whose declaration throws
    /// is listed with no fields (the failure is logged by the plugin invoker).
    /// </summary>
    IReadOnlyList<KindFields> ChannelKinds();

    /// <summary>
    /// Every agent kind served (loaded plugins', then the runtime kinds <c>grpc-runtime</c> and <c>external</c>) with its
    /// declared settings (<see cref="ClawScale.Plugins.Agents.IAgentBackendFactory.ConfigFields"/>).
    /// </summary>
    IReadOnlyList<KindFields> AgentKinds();
}
