using Grpc.Core;

namespace ClawScale.Kernel.Admin;

/// <summary>
/// Keeps write-only credentials write-only across <c>UpdateChannel</c> and <c>UpdateAgent</c>: a call that changes
/// where a channel or agent sends its credentials must give those credentials again, otherwise it is refused with
/// INVALID_ARGUMENT and nothing is changed. Without this rule, a caller who may edit a channel but was never told its
/// secrets could point <c>api_base_url</c> at a host of its own and read the bot token off the next request
/// (issue 11, "Stored credentials can be read back by redirecting them").
/// </summary>
/// <remarks>
/// <para>An <b>endpoint key</b> is a config key that is any of:</para>
/// <list type="bullet">
/// <item>declared by the kind's factory (<see cref="ClawScale.Plugins.Channels.IChannelAdapterFactory.EndpointConfigKeys"/>,
/// <see cref="ClawScale.Plugins.Agents.IAgentBackendFactory.EndpointConfigKeys"/>; <c>endpoint</c> for the built-in
/// <c>grpc-runtime</c> agents), exact name;</item>
/// <item>named like one, ignoring case: <c>endpoint</c> or a name ending in one of <see cref="EndpointNameSuffixes"/>
/// (<c>api_base_url</c>, <c>callbackUrl</c>, <c>redirect_uri</c>, <c>smtp_host</c>, <c>http_proxy</c>, …), so that
/// third-party plugins that declare nothing are covered too;</item>
/// <item>holding an absolute URL (<c>scheme://host…</c>, no white space) before or after the call.</item>
/// </list>
/// <para>A key <b>changes</b> when its value before the call differs (ordinal) from its value after the call's
/// set/remove merge; a key set for the first time and a key removed (the plugin then falls back to its default host)
/// are changes too. Sending the same value again is not a change.</para>
/// <para>When an endpoint key changes, every credential the resource keeps after the call must be given, non-empty,
/// in the same call's <c>credentials</c>; a stored credential may instead be removed with an empty value. A resource
/// without stored credentials may change its endpoints freely. The webhook secret is outside the rule: it
/// authenticates calls to the kernel, and an admin may replace it at any time anyway.</para>
/// <para>The kind of a channel or agent cannot be changed by an update (the messages have no kind field), and
/// CreateChannel/CreateAgent only store the credentials given in the call, so no other RPC can move stored
/// credentials to a new address.</para>
/// </remarks>
internal static class CredentialRedirectGuard
{
    /// <summary>
    /// Name endings that mark a config key as an endpoint by convention (compared ignoring case, on the whole key).
    /// </summary>
    public static readonly IReadOnlyList<string> EndpointNameSuffixes =
    [
        "endpoint", "endpoints", "url", "urls", "uri", "uris", "host", "hosts", "hostname", "hostnames",
        "proxy", "proxies", "server", "servers", "address", "addresses", "addr", "addrs",
    ];

    /// <summary>Whether <paramref name="key"/> is named like an endpoint (see <see cref="EndpointNameSuffixes"/>).</summary>
    /// <param name="key">A config key.</param>
    /// <returns>True for, e.g., <c>endpoint</c>, <c>base_url</c>, <c>gatewayUrl</c>, <c>redirect_uri</c>, <c>smtp_host</c>.</returns>
    public static bool IsEndpointName(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var suffix in EndpointNameSuffixes)
        {
            if (key.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }

    /// <summary>Whether <paramref name="value"/> is an absolute URL with a host (<c>https://x</c>, <c>ws://x:1</c>), ignoring surrounding white space.</summary>
    /// <param name="value">A config value, or null when absent.</param>
    /// <returns>True for a URL; false for prose that merely contains one.</returns>
    public static bool IsUrlValue(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return false;
        var trimmed = value.Trim();
        return trimmed.Contains("://", StringComparison.Ordinal)
            && !trimmed.Any(char.IsWhiteSpace)
            && Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            && uri.Host.Length > 0;
    }

    /// <summary>
    /// The endpoint keys whose values differ between <paramref name="before"/> and <paramref name="after"/> (a key
    /// present on one side only counts), in ordinal order.
    /// </summary>
    /// <param name="before">The stored config.</param>
    /// <param name="after">The config the call would store.</param>
    /// <param name="declared">The keys the kind declares as endpoints.</param>
    /// <returns>The changed endpoint keys; empty when none changed.</returns>
    public static IReadOnlyList<string> ChangedEndpointKeys(
        IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, IReadOnlyCollection<string> declared)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(declared);
        var changed = new List<string>();
        foreach (var key in before.Keys.Union(after.Keys, StringComparer.Ordinal))
        {
            var old = before.GetValueOrDefault(key);
            var now = after.GetValueOrDefault(key);
            if (string.Equals(old, now, StringComparison.Ordinal)) continue;
            if (declared.Contains(key, StringComparer.Ordinal) || IsEndpointName(key) || IsUrlValue(old) || IsUrlValue(now))
                changed.Add(key);
        }

        changed.Sort(StringComparer.Ordinal);
        return changed;
    }

    /// <summary>
    /// The credentials the resource would keep after the call without the call giving them: every key of
    /// <paramref name="merged"/> not given non-empty in <paramref name="given"/>, in ordinal order.
    /// </summary>
    /// <param name="merged">The credentials after the call's set/remove merge.</param>
    /// <param name="given">The call's <c>credentials</c> map.</param>
    /// <returns>The carried-over credential keys.</returns>
    public static IReadOnlyList<string> CarriedOverCredentials(IReadOnlyDictionary<string, string> merged, IEnumerable<KeyValuePair<string, string>> given)
    {
        ArgumentNullException.ThrowIfNull(merged);
        ArgumentNullException.ThrowIfNull(given);
        var sent = given.Where(p => p.Value.Length > 0).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        return merged.Keys.Where(k => !sent.Contains(k)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Checks one update and returns what it would redirect: the changed endpoint keys and the stored credentials the
    /// call did not give again. <see cref="RedirectCheck.Refused"/> is true when both are non-empty.
    /// </summary>
    /// <param name="configBefore">The stored config.</param>
    /// <param name="configAfter">The config after the call's merge.</param>
    /// <param name="credentialsAfter">The credentials after the call's merge.</param>
    /// <param name="credentialsGiven">The call's <c>credentials</c> map.</param>
    /// <param name="declared">The keys the kind declares as endpoints.</param>
    /// <returns>The verdict.</returns>
    public static RedirectCheck Check(
        IReadOnlyDictionary<string, string> configBefore,
        IReadOnlyDictionary<string, string> configAfter,
        IReadOnlyDictionary<string, string> credentialsAfter,
        IEnumerable<KeyValuePair<string, string>> credentialsGiven,
        IReadOnlyCollection<string> declared)
    {
        var changed = ChangedEndpointKeys(configBefore, configAfter, declared);
        var carried = changed.Count == 0 ? [] : CarriedOverCredentials(credentialsAfter, credentialsGiven);
        return new RedirectCheck(changed, carried);
    }

    /// <summary>
    /// The INVALID_ARGUMENT of a refused update. Its message names the changed endpoint keys and the credentials to
    /// give again, never their values, for example: <c>config.api_base_url: changes where this channel sends its
    /// credentials, and stored credentials are never sent to a new endpoint: send credentials again in the same
    /// UpdateChannel call (credentials.bot_token), or remove them with an empty value. Nothing was changed.</c>
    /// </summary>
    /// <param name="check">A refused check.</param>
    /// <param name="resource"><c>channel</c> or <c>agent</c>.</param>
    /// <param name="rpc"><c>UpdateChannel</c> or <c>UpdateAgent</c>.</param>
    /// <returns>The exception to throw.</returns>
    public static RpcException Refusal(RedirectCheck check, string resource, string rpc)
    {
        ArgumentNullException.ThrowIfNull(check);
        var keys = string.Join(", ", check.ChangedEndpointKeys.Select(k => "config." + k));
        var credentials = string.Join(", ", check.CarriedOverCredentials.Select(k => "credentials." + k));
        var verb = check.ChangedEndpointKeys.Count == 1 ? "changes" : "change";
        return new RpcException(new Status(StatusCode.InvalidArgument,
            $"{keys}: {verb} where this {resource} sends its credentials, and stored credentials are never sent to a new endpoint: " +
            $"send credentials again in the same {rpc} call ({credentials}), or remove them with an empty value. Nothing was changed."));
    }
}
