namespace ClawScale.Plugins.Teams;

/// <summary>
/// Which Bot Framework <c>serviceUrl</c>s the plugin sends the bot's Connector token to. The service URL arrives inside
/// activities; a signed token vouches for it (<c>serviceurl</c> claim), but the token is only as trustworthy as the
/// metadata document and the channel's configuration, and the bearer token sent to it can post as the bot anywhere. So
/// a service URL must be https (unless <see cref="TeamsOptions.AllowHttpServiceUrl"/>), carry no user info, query or
/// fragment, and have a host equal to or ending in <c>.</c> + one of <see cref="TeamsOptions.ServiceUrlHosts"/>. The
/// kernel's outbound guard additionally refuses private and loopback addresses when the call is made.
/// </summary>
public static class ServiceUrlPolicy
{
    /// <summary>Checks <paramref name="serviceUrl"/> against the channel's allow-list.</summary>
    /// <param name="serviceUrl">The absolute service URL.</param>
    /// <param name="options">The channel's options.</param>
    /// <param name="problem">Why it is refused (names the config key to change), or null.</param>
    /// <returns>True when replies may be sent there.</returns>
    public static bool Check(Uri serviceUrl, TeamsOptions options, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(serviceUrl);
        ArgumentNullException.ThrowIfNull(options);
        if (!serviceUrl.IsAbsoluteUri || !(serviceUrl.Scheme == Uri.UriSchemeHttps || (serviceUrl.Scheme == Uri.UriSchemeHttp && options.AllowHttpServiceUrl)))
        {
            problem = $"serviceUrl '{serviceUrl}' is not an https URL";
            return false;
        }

        if (!string.IsNullOrEmpty(serviceUrl.UserInfo) || !string.IsNullOrEmpty(serviceUrl.Query) || !string.IsNullOrEmpty(serviceUrl.Fragment))
        {
            problem = $"serviceUrl '{serviceUrl.GetLeftPart(UriPartial.Authority)}…' has user info, a query or a fragment";
            return false;
        }

        var host = serviceUrl.IdnHost.TrimEnd('.').ToLowerInvariant();
        foreach (var allowed in options.ServiceUrlHosts)
        {
            if (host == allowed || host.EndsWith("." + allowed, StringComparison.Ordinal))
            {
                problem = null;
                return true;
            }
        }

        problem = $"serviceUrl host '{host}' is not in config.service_url_hosts ({string.Join(",", options.ServiceUrlHosts)}); add its suffix there if it is a genuine Bot Connector host (for example a government cloud's)";
        return false;
    }
}
