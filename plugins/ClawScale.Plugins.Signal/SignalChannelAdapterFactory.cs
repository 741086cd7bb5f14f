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
