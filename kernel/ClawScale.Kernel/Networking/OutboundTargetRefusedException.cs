using System.Net;

namespace ClawScale.Kernel.Networking;

/// <summary>
/// Thrown by <see cref="OutboundNetworkGuard"/> when an outbound connection would reach a non-public address (see
/// <see cref="NetworkAddressClassifier"/>) while <c>ClawScale:Security:AllowPrivateNetworkTargets</c> is false. The
/// HTTP stack wraps it in an <see cref="System.Net.Http.HttpRequestException"/> whose message starts with this one's,
/// so plugins that report <c>ex.Message</c> show it in a channel's status, a delivery's or a turn's <c>last_error</c>.
/// It derives from <see cref="IOException"/>, like the socket errors plugins already treat as "unreachable".
/// </summary>
internal sealed class OutboundTargetRefusedException : IOException
{
    /// <summary>Creates the exception with a message naming the host, the address, its kind and the setting.</summary>
    /// <param name="host">The host name or IP literal of the URL called.</param>
    /// <param name="address">The refused address <paramref name="host"/> resolved to (or is).</param>
    /// <param name="kind">What the address is, from <see cref="NetworkAddressClassifier.NonPublicKind"/>.</param>
    public OutboundTargetRefusedException(string host, IPAddress address, string kind)
        : base(Describe(host, address, kind))
    {
        Host = host;
        Address = address;
        Kind = kind;
    }

    /// <summary>The host name or IP literal of the URL called.</summary>
    public string Host { get; }

    /// <summary>The refused address.</summary>
    public IPAddress Address { get; }

    /// <summary>What the address is, for example "a loopback address".</summary>
    public string Kind { get; }

    private static string Describe(string host, IPAddress address, string kind)
    {
        var target = IPAddress.TryParse(host, out _) ? $"{address}, {kind}" : $"'{host}': it resolves to {address}, {kind}";
        return $"Outbound connection refused to {target}. Calls from plugins and dial-out runtimes may only reach public addresses; " +
               $"an operator can allow private, loopback and link-local targets (development, a local model server) with {OutboundNetworkGuard.SettingKey}=true";
    }
}
