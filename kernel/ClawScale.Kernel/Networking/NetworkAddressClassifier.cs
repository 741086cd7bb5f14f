using System.Net;
using System.Net.Sockets;

namespace ClawScale.Kernel.Networking;

/// <summary>
/// Tells public (globally routable) IP addresses from the ones an outbound call from the kernel must not reach
/// unless <c>ClawScale:Security:AllowPrivateNetworkTargets</c> is set: loopback, private, link-local (including the
/// cloud metadata address 169.254.169.254), carrier-grade NAT, unspecified, multicast, reserved and documentation
/// ranges, and IPv6 forms that embed such an IPv4 address (IPv4-mapped, NAT64, 6to4).
/// </summary>
/// <remarks>
/// The ranges follow the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and its updates): every
/// range there that is not globally reachable, plus multicast (RFC 5771, RFC 4291 §2.7). Addresses outside every
/// range are public.
/// </remarks>
internal static class NetworkAddressClassifier
{
    private static readonly (IPNetwork Network, string Kind)[] V4Ranges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified (\"this network\", RFC 1122) address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private (RFC 1918) address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a carrier-grade NAT (RFC 6598) address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local (RFC 3927) address, the range of cloud metadata services"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private (RFC 1918) address"),
        (IPNetwork.Parse("192.0.0.0/24"), "an IETF protocol assignment (RFC 6890) address"),
        (IPNetwork.Parse("192.0.2.0/24"), "a documentation (RFC 5737) address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private (RFC 1918) address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a benchmarking (RFC 2544) address"),
        (IPNetwork.Parse("198.51.100.0/24"), "a documentation (RFC 5737) address"),
        (IPNetwork.Parse("203.0.113.0/24"), "a documentation (RFC 5737) address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved (RFC 1112) or broadcast address"),
    ];

    private static readonly (IPNetwork Network, string Kind)[] V6Ranges =
    [
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::/96"), "an IPv4-compatible (deprecated, RFC 4291) address"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "a local-use NAT64 (RFC 8215) address"),
        (IPNetwork.Parse("100::/64"), "a discard-only (RFC 6666) address"),
        (IPNetwork.Parse("2001::/32"), "a Teredo (RFC 4380) address"),
        (IPNetwork.Parse("2001:2::/48"), "a benchmarking (RFC 5180) address"),
        (IPNetwork.Parse("2001:db8::/32"), "a documentation (RFC 3849) address"),
        (IPNetwork.Parse("fc00::/7"), "a unique local (private, RFC 4193) address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("fec0::/10"), "a site-local (deprecated, RFC 3879) address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Whether <paramref name="address"/> is public: in none of the ranges above.</summary>
    /// <param name="address">An IPv4 or IPv6 address (an IPv6 scope id is ignored).</param>
    /// <returns>True when an outbound call may reach it without <c>AllowPrivateNetworkTargets</c>.</returns>
    public static bool IsPublic(IPAddress address) => NonPublicKind(address) is null;

    /// <summary>
    /// What kind of non-public address <paramref name="address"/> is, in words for an error message (for example
    /// "a loopback address", or "an IPv4-mapped form of 10.0.0.1, a private (RFC 1918) address"); null when public.
    /// </summary>
    /// <param name="address">An IPv4 or IPv6 address.</param>
    /// <returns>The kind, or null for a public address.</returns>
    public static string? NonPublicKind(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return Match(V4Ranges, address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return "not an IP address";

        if (address.ScopeId != 0)
            address = new IPAddress(address.GetAddressBytes());
        if (address.IsIPv4MappedToIPv6)
            return Embedded("an IPv4-mapped form", address.MapToIPv4());

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
            return Embedded("a NAT64 (RFC 6052) form", new IPAddress(bytes.AsSpan(12, 4)));
        if (SixToFour.Contains(address))
            return Embedded("a 6to4 (RFC 3056) form", new IPAddress(bytes.AsSpan(2, 4)));

        // Where ranges nest (::1 and :: inside ::/96), the narrower one comes first.
        return Match(V6Ranges, address);
    }

    private static string? Embedded(string form, IPAddress v4) =>
        Match(V4Ranges, v4) is { } kind ? $"{form} of {v4}, {kind}" : null;

    private static string? Match((IPNetwork Network, string Kind)[] ranges, IPAddress address)
    {
        foreach (var (network, kind) in ranges)
        {
            if (network.Contains(address))
                return kind;
        }

        return null;
    }
}
