using Microsoft.Extensions.Logging;

namespace ClawScale.Plugins.Agents;

/// <summary>Everything an agent backend instance gets from the kernel. One context per configured agent.</summary>
public sealed record AgentContext
{
    /// <summary>The kernel's agent id.</summary>
    public required string AgentId { get; init; }

    /// <summary>The tenant owning the agent.</summary>
    public required string TenantId { get; init; }

    /// <summary>Non-secret settings (for example <c>model</c>, <c>base_url</c>, <c>system_prompt</c>).</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();

    /// <summary>Decrypted credentials (for example <c>api_key</c>). Never log them.</summary>
    public IReadOnlyDictionary<string, string> Credentials { get; init; } = new Dictionary<string, string>();

    /// <summary>An HttpClient owned by the kernel (do not dispose). Its timeout is infinite: pass tokens.</summary>
    /// <remarks>
    /// The kernel's client connects only to public IP addresses unless the operator sets
    /// <c>ClawScale:Security:AllowPrivateNetworkTargets</c> (needed for a model server at <c>localhost</c> or on the
    /// local network): otherwise a URL whose host is or resolves to a loopback, private, link-local, carrier-grade NAT,
    /// multicast or reserved address fails with an <see cref="HttpRequestException"/> whose message names the host,
    /// the address and that setting. Redirects are not followed: a 3xx answer comes back to the plugin as it is.
    /// </remarks>
    public required HttpClient HttpClient { get; init; }

    /// <summary>The logger for this agent.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>The clock to use.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
