using ClawScale.Plugins.Channels;

namespace ClawScale.Plugins.Webhook;

/// <summary>
/// The generic webhook channel plugin's entry point (kind <c>webhook</c>): for any system without a dedicated
/// plugin. Config: see <see cref="WebhookOptions"/> (<c>callback_url</c> required). Credentials: optional
/// <c>callback_secret</c> to sign callbacks with (default: the channel's webhook secret).
/// </summary>
public sealed class WebhookChannelAdapterFactory : IChannelAdapterFactory
{
    /// <inheritdoc />
    public string Kind => "webhook";

    /// <summary>
    /// <c>["callback_url"]</c>: replies are POSTed there, signed with <c>credentials.callback_secret</c>. Changing it
    /// needs the credentials again in the same UpdateChannel call.
    /// </summary>
    public IReadOnlyCollection<string> EndpointConfigKeys { get; } = ["callback_url"];

    /// <summary>The settings the admin console's form shows (see <see cref="ClawScale.Plugins.Configuration.ConfigField"/>); Validate stays the authority.</summary>
    public IReadOnlyList<ClawScale.Plugins.Configuration.ConfigField> ConfigFields { get; } =
    [
        new("callback_url", "Callback URL") { Required = true, Help = "Where replies are POSTed (http or https), signed with the callback secret." },
        new("callback_secret", "Callback secret") { Secret = true, Help = "At least 16 characters; empty signs callbacks with the channel's webhook secret." },
        new("provider", "Provider name") { Help = "The identity provider of senders, default webhook." },
        new("timeout_seconds", "Timeout (s)") { Help = "Callback timeout in seconds; default 30." },
    ];

    /// <summary>Checks the config keys of <see cref="WebhookOptions"/> and <c>credentials.callback_secret</c> (when given, at least 16 characters).</summary>
    /// <param name="config">Non-secret settings.</param>
    /// <param name="credentials">Secret settings.</param>
    /// <returns>Every problem found; empty when valid.</returns>
    public IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> credentials)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(credentials);
        WebhookOptions.Parse(config, out var errors);
        var problems = new List<string>(errors);
        if (CallbackSecretProblem(credentials) is { } problem)
            problems.Add(problem);
        return problems;
    }

    /// <summary>Creates the adapter of one webhook channel.</summary>
    /// <param name="context">The channel and host services.</param>
    /// <returns>The adapter.</returns>
    /// <exception cref="ArgumentException">The configuration is invalid (every problem listed).</exception>
    public IChannelAdapter Create(ChannelContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = WebhookOptions.Parse(context.Config, out var errors);
        var problems = new List<string>(errors);
        if (CallbackSecretProblem(context.Credentials) is { } problem)
            problems.Add(problem);
        context.Credentials.TryGetValue("callback_secret", out var callbackSecret);
        if (string.IsNullOrEmpty(callbackSecret) && string.IsNullOrEmpty(context.WebhookSecret))
            problems.Add("the channel has no webhook secret to sign callbacks with; set webhook_secret or credentials.callback_secret");
        if (options is null || problems.Count > 0)
            throw new ArgumentException($"Webhook channel {context.ChannelId} is misconfigured: {string.Join("; ", problems)}", nameof(context));
        return new WebhookChannelAdapter(context, options, string.IsNullOrEmpty(callbackSecret) ? null : callbackSecret);
    }

    private static string? CallbackSecretProblem(IReadOnlyDictionary<string, string> credentials) =>
        credentials.TryGetValue("callback_secret", out var secret) && !string.IsNullOrEmpty(secret) && secret.Length < 16
            ? "credentials.callback_secret must be at least 16 characters (for example the output of `openssl rand -hex 32`), or left out to sign callbacks with the channel's webhook secret"
            : null;
}
