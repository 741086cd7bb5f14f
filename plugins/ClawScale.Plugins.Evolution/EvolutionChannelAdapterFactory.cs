using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Evolution;

/// <summary>
/// The WhatsApp-through-Evolution-API channel plugin's entry point (kind <c>evolution</c>). Credentials:
/// <c>api_key</c> (the instance's token, or the server's global API key), sent as the <c>apikey</c> header. The
/// channel's webhook secret is the token Evolution must present on webhook calls (see the README). Config: see
/// <see cref="EvolutionOptions"/>.
/// </summary>
public sealed class EvolutionChannelAdapterFactory : IChannelAdapterFactory
{
    /// <inheritdoc />
    public string Kind => "evolution";

    /// <summary>
    /// <c>["base_url"]</c>: the Evolution API server, which receives the <c>apikey</c> header. Changing it needs the
    /// credentials again in the same UpdateChannel call.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["base_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("base_url", "Server URL") { Required = true, Help = "The Evolution API server's http(s) URL, for example https://evolution.example.com." },
        new("instance", "Instance name") { Required = true, Help = "The instance name given to /instance/create (letters, digits, '-', '_', '.' or spaces)." },
        new("api_key", "API key") { Required = true, Secret = true, Help = "The instance's token (or the server's AUTHENTICATION_API_KEY), sent as the apikey header." },
        new("bot_jids", "Bot JIDs") { Help = "More JIDs of the bot, comma-separated, such as its …@lid id that group mentions use." },
        new("quote_in_groups", "Quote in groups") { Choices = ["true", "false"], Help = "Answers in groups quote the message they answer; default true." },
        new("request_timeout_seconds", "Request timeout (s)") { Help = "Evolution API call timeout, 1 to 300; default 30." },
    ];

    /// <summary>Checks the config of <see cref="EvolutionOptions"/> and that <c>api_key</c> is present.</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found, naming the field; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        var problems = new List<string>();
        EvolutionOptions.Parse(config, problems);
        CheckCredentials(credentials, problems);
        return problems;
    }

    /// <summary>Creates the adapter of one Evolution channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException">The configuration or credentials are invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>();
        var options = EvolutionOptions.Parse(context.Config, problems);
        CheckCredentials(context.Credentials, problems);
        if (problems.Count > 0)
            throw new ArgumentException($"Evolution channel {context.ChannelId} is misconfigured: {string.Join("; ", problems)}", nameof(context));
        return new EvolutionChannelAdapter(context, options, Get(context.Credentials, "api_key")!);
    }

    private static void CheckCredentials(IReadOnlyDictionary<string, string> credentials, List<string> problems)
    {
        if (Get(credentials, "api_key") is null)
            problems.Add("credentials.api_key: required; the instance's token (the \"token\" given to /instance/create, or shown in the Evolution manager) or the server's AUTHENTICATION_API_KEY");
    }

    private static string? Get(IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
