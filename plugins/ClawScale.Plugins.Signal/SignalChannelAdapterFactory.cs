using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Signal;

/// <summary>
/// The Signal channel plugin's entry point (kind <c>signal</c>), for a bbernhard/signal-cli-rest-api server.
/// Credentials: <c>api_token</c> (optional): sent as <c>Authorization: Bearer …</c> for a REST API behind an
/// authenticating reverse proxy (the REST API itself has no authentication). Config: see <see cref="SignalOptions"/>.
/// </summary>
public sealed class SignalChannelAdapterFactory : IChannelAdapterFactory
{
    /// <inheritdoc />
    public string Kind => "signal";

    /// <summary><c>["api_base_url"]</c>: the REST API server, which receives <c>credentials.api_token</c> and every message.</summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["api_base_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("api_base_url", "REST API URL") { Required = true, Help = "The http or https URL of your signal-cli-rest-api server, for example http://signal-api:8080." },
        new("number", "Number") { Required = true, Help = "The bot's Signal number registered or linked in signal-cli-rest-api, in E.164 form such as +4915112345678." },
        new("mode", "Mode") { Choices = ["polling", "websocket"], Help = "Must match the REST API's MODE: polling (default) for normal or native, websocket for json-rpc." },
        new("group_replies", "Group replies") { Choices = ["mention", "all"], Help = "mention (default): answer group messages that mention the bot; all: every group message." },
        new("account_uuid", "Account uuid") { Help = "The account's ACI uuid (GET /v1/identities), so mentions by uuid only are recognised." },
        new("receive_timeout_seconds", "Receive timeout (s)") { Help = "How long one poll waits for messages, 1 to 60; default 10." },
        new("request_timeout_seconds", "Request timeout (s)") { Help = "REST call timeout on top of the receive wait, 1 to 300; default 30." },
        new("api_token", "API token") { Secret = true, Help = "Bearer token of an authenticating reverse proxy in front of the REST API; leave empty without one." },
    ];

    /// <summary>Checks the config keys of <see cref="SignalOptions"/> and <c>credentials.api_token</c> (optional, no spaces).</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        var problems = new List<string>();
        CheckCredentials(credentials, problems);
        SignalOptions.Parse(config, out var optionErrors);
        problems.AddRange(optionErrors);
        return problems;
    }

    /// <summary>Creates the adapter of one Signal channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException">The configuration is invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<string>();
        var token = CheckCredentials(context.Credentials, problems);
        var options = SignalOptions.Parse(context.Config, out var optionErrors);
        problems.AddRange(optionErrors);
        if (problems.Count > 0)
            throw new ArgumentException($"Signal channel {context.ChannelId} is misconfigured: {string.Join("; ", problems)}", nameof(context));
        return new SignalChannelAdapter(context, options, token);
    }

    private static string? CheckCredentials(IReadOnlyDictionary<string, string> credentials, List<string> problems)
    {
        foreach (var key in credentials.Keys.Where(k => k != "api_token"))
            problems.Add($"credentials.{key}: unknown credential; the only one is api_token (optional)");
        if (!credentials.TryGetValue("api_token", out var token) || string.IsNullOrWhiteSpace(token))
            return null;
        token = token.Trim();
        if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            token = token[7..].Trim();
        if (token.Any(char.IsWhiteSpace))
        {
            problems.Add("credentials.api_token must be the bare token your proxy expects after \"Bearer \" (no spaces)");
            return null;
        }

        return token;
    }
}
