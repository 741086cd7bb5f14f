using System.Net;
using ClawScale.Kernel.Networking;

namespace ClawScale.Kernel.Tests.Networking;

/// <summary>The address table of the outbound network guard, IPv4, IPv6 and IPv6 forms that embed an IPv4 address.</summary>
public sealed class NetworkAddressClassifierTests
{
    [Theory]
    // IPv4
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("10.0.0.1", "private (RFC 1918)")]
    [InlineData("10.255.255.255", "private (RFC 1918)")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.254", "carrier-grade NAT")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.8.9.10", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("169.254.0.1", "link-local")]
    [InlineData("172.16.0.1", "private (RFC 1918)")]
    [InlineData("172.31.255.254", "private (RFC 1918)")]
    [InlineData("192.168.1.1", "private (RFC 1918)")]
    [InlineData("192.0.0.8", "IETF protocol assignment")]
    [InlineData("192.0.2.10", "documentation")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("198.51.100.7", "documentation")]
    [InlineData("203.0.113.9", "documentation")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("255.255.255.255", "broadcast")]
    // IPv6
    [InlineData("::", "unspecified")]
    [InlineData("::1", "loopback")]
    [InlineData("::7f00:1", "IPv4-compatible")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("fd12:3456:789a::1", "unique local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fe80::1%2", "link-local")]
    [InlineData("febf:ffff::1", "link-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("2001::1", "Teredo")]
    [InlineData("2001:2::1", "benchmarking")]
    [InlineData("100::1", "discard-only")]
    [InlineData("64:ff9b:1::1", "local-use NAT64")]
    // IPv6 forms of non-public IPv4 addresses
    [InlineData("::ffff:127.0.0.1", "IPv4-mapped form of 127.0.0.1, a loopback")]
    [InlineData("::ffff:10.1.2.3", "IPv4-mapped form of 10.1.2.3, a private (RFC 1918)")]
    [InlineData("::ffff:169.254.169.254", "IPv4-mapped form of 169.254.169.254, a link-local")]
    [InlineData("::ffff:0.0.0.0", "IPv4-mapped form of 0.0.0.0, an unspecified")]
    [InlineData("::ffff:100.64.1.1", "carrier-grade NAT")]
    [InlineData("64:ff9b::a9fe:a9fe", "NAT64 (RFC 6052) form of 169.254.169.254")]
    [InlineData("64:ff9b::7f00:1", "NAT64 (RFC 6052) form of 127.0.0.1")]
    [InlineData("2002:c0a8:0101::1", "6to4 (RFC 3056) form of 192.168.1.1")]
    [InlineData("2002:7f00:1::", "6to4 (RFC 3056) form of 127.0.0.1")]
    public void Non_public_addresses_are_named_with_their_kind(string address, string kind)
    {
        var ip = IPAddress.Parse(address);
        var found = NetworkAddressClassifier.NonPublicKind(ip);
        Assert.NotNull(found);
        Assert.Contains(kind, found, StringComparison.Ordinal);
        Assert.False(NetworkAddressClassifier.IsPublic(ip));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.216.34")]
    [InlineData("100.63.255.255")] // just below 100.64.0.0/10
    [InlineData("100.128.0.0")] // just above it
    [InlineData("172.15.255.255")] // just below 172.16.0.0/12
    [InlineData("172.32.0.0")] // just above it
    [InlineData("192.169.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("223.255.255.255")] // the last unicast address before multicast
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2a00:1450:4001:81b::200e")]
    [InlineData("::ffff:8.8.8.8")] // mapped public IPv4
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    [InlineData("2002:808:808::1")] // 6to4 of 8.8.8.8
    public void Public_addresses_are_public(string address)
    {
        var ip = IPAddress.Parse(address);
        Assert.Null(NetworkAddressClassifier.NonPublicKind(ip));
        Assert.True(NetworkAddressClassifier.IsPublic(ip));
    }
}
