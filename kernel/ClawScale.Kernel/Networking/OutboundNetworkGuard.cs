using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ClawScale.Kernel.Hosting;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Networking;

/// <summary>
/// The kernel's outbound network guard: the HTTP handlers the kernel hands to plugins (<c>ChannelContext.HttpClient</c>,
/// <c>AgentContext.HttpClient</c>, which plugins also use to open WebSockets) and the one under the dial-out runtime's
/// gRPC channels connect only to public IP addresses unless <c>ClawScale:Security:AllowPrivateNetworkTargets</c> is
/// true. The check runs at connect time, for every new connection, after DNS resolution: the host is resolved once
/// (<see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>), refused if <em>any</em> of its addresses is
/// non-public (<see cref="NetworkAddressClassifier"/>), and the socket is connected to exactly those vetted addresses,
/// so a DNS answer that changes between the check and the connection (DNS rebinding) cannot swap in another one.
/// </summary>
/// <remarks>
/// <para>
/// Redirects are not followed (<see cref="SocketsHttpHandler.AllowAutoRedirect"/> false): these calls carry
/// credentials, and a redirect would re-send them (and the body) to a place nobody configured. A 3xx reaches the
/// plugin, which reports it as an error. A redirect target would be checked anyway, since the check is per connection.
/// </para>
/// <para>
/// With a system proxy (<c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c>, …), connections go to the proxy, which the operator
/// configured and which is allowed whatever its address; the target of each proxied request is resolved here and
/// checked before it is sent (the proxy resolves the name again, so that check cannot pin the address, and a name
/// that does not resolve here is left to the proxy: the proxy's own egress rules should refuse internal targets too).
/// </para>
/// <para>
/// A refusal throws <see cref="OutboundTargetRefusedException"/> (wrapped by the HTTP stack in an
/// <see cref="HttpRequestException"/> whose message starts with its text), and is logged once per host and address
/// as a warning (event 2601); repeats are logged at Debug (event 2602).
/// </para>
/// </remarks>
internal sealed partial class OutboundNetworkGuard
{
    /// <summary>The configuration key of the setting, as named in error messages.</summary>
    public const string SettingKey = ClawScaleOptions.SectionName + ":Security:AllowPrivateNetworkTargets";

    /// <summary>How long a pooled connection is kept before it is replaced, so DNS changes are picked up.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    private const int MaxReported = 1024;

    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly IWebProxy? _proxy;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, byte> _reported = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the kernel's guard from <see cref="SecurityOptions.AllowPrivateNetworkTargets"/>, with system DNS and proxy.</summary>
    /// <param name="options">The kernel's options.</param>
    /// <param name="logger">Where refusals are logged.</param>
    public OutboundNetworkGuard(IOptions<ClawScaleOptions> options, ILogger<OutboundNetworkGuard> logger)
        : this(options.Value.Security.AllowPrivateNetworkTargets, Dns.GetHostAddressesAsync, HttpClient.DefaultProxy, logger)
    {
    }

    /// <summary>Creates a guard with a given resolver and proxy (tests).</summary>
    /// <param name="allowPrivateTargets">True: no address is refused (connections still go to the resolved addresses).</param>
    /// <param name="resolve">Resolves a host name to its addresses.</param>
    /// <param name="proxy">The proxy the handlers use, or null for none.</param>
    /// <param name="logger">Where refusals are logged.</param>
    internal OutboundNetworkGuard(bool allowPrivateTargets, Func<string, CancellationToken, Task<IPAddress[]>> resolve, IWebProxy? proxy, ILogger logger)
    {
        AllowsPrivateTargets = allowPrivateTargets;
        _resolve = resolve;
        _proxy = proxy;
        _logger = logger;
    }

    /// <summary>Whether non-public targets are allowed (<c>ClawScale:Security:AllowPrivateNetworkTargets</c>).</summary>
    public bool AllowsPrivateTargets { get; }

    /// <summary>
    /// An HttpClient for plugins: guarded connections, no redirects, connections renewed every
    /// <see cref="PooledConnectionLifetime"/>, infinite timeout (plugins pass tokens). The caller owns it.
    /// </summary>
    public HttpClient CreateHttpClient() => new(CreateHandler(http2: false), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>
    /// A guarded handler. <paramref name="http2"/>: for a gRPC channel (several HTTP/2 connections allowed when one
    /// is full). The caller owns it.
    /// </summary>
    /// <param name="http2">Whether the handler serves gRPC.</param>
    public HttpMessageHandler CreateHandler(bool http2)
    {
        var sockets = new SocketsHttpHandler
        {
            PooledConnectionLifetime = PooledConnectionLifetime,
            AllowAutoRedirect = false,
            ConnectCallback = ConnectAsync,
            UseProxy = _proxy is not null,
            Proxy = _proxy,
            EnableMultipleHttp2Connections = http2,
        };
        return _proxy is null || AllowsPrivateTargets ? sockets : new ProxiedTargetCheck(this, _proxy, sockets);
    }

    /// <summary>
    /// Resolves <paramref name="host"/> (an IP literal is its own answer) and returns its addresses when every one of
    /// them is allowed.
    /// </summary>
    /// <param name="host">A host name or IP literal (IPv6 with or without brackets).</param>
    /// <param name="cancellationToken">Cancels the resolution.</param>
    /// <returns>The vetted addresses, never empty.</returns>
    /// <exception cref="OutboundTargetRefusedException">An address is not public and private targets are not allowed.</exception>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    public async ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        var addresses = IPAddress.TryParse(literal, out var ip) ? [ip] : await _resolve(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
            throw new SocketException((int)SocketError.HostNotFound);
        if (AllowsPrivateTargets)
            return addresses;

        foreach (var address in addresses)
        {
            if (NetworkAddressClassifier.NonPublicKind(address) is { } kind)
            {
                var refused = new OutboundTargetRefusedException(host, address, kind);
                Report(refused);
                throw refused;
            }
        }

        return addresses;
    }

    /// <summary>
    /// <see cref="SocketsHttpHandler.ConnectCallback"/>: vets the endpoint's host (unless it is the configured proxy)
    /// and connects a TCP socket to the vetted addresses, in the resolver's order.
    /// </summary>
    /// <param name="context">The endpoint and the request that opened the connection.</param>
    /// <param name="cancellationToken">Cancels the connect (the handler's connect timeout included).</param>
    /// <returns>The connected stream.</returns>
    internal async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        IPAddress[] addresses;
        if (IsProxy(endpoint, context.InitialRequestMessage.RequestUri))
        {
            // The operator's proxy: trusted whatever its address. Proxied targets are checked per request (ProxiedTargetCheck).
            addresses = IPAddress.TryParse(endpoint.Host, out var ip) ? [ip] : await _resolve(endpoint.Host, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            addresses = await ResolveAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        }

        if (!Socket.OSSupportsIPv6)
            addresses = [.. addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork)];
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private bool IsProxy(DnsEndPoint endpoint, Uri? requestUri)
    {
        if (_proxy is null || requestUri is null || _proxy.IsBypassed(requestUri) || _proxy.GetProxy(requestUri) is not { } proxyUri)
            return false;
        return string.Equals(proxyUri.IdnHost, endpoint.Host, StringComparison.OrdinalIgnoreCase) && proxyUri.Port == endpoint.Port;
    }

    private void Report(OutboundTargetRefusedException refused)
    {
        var key = refused.Host + "|" + refused.Address;
        if (_reported.Count < MaxReported && _reported.TryAdd(key, 0))
            LogRefused(_logger, refused.Host, refused.Address, refused.Kind, SettingKey);
        else
            LogRefusedAgain(_logger, refused.Host, refused.Address);
    }

    [LoggerMessage(EventId = 2601, Level = LogLevel.Warning,
        Message = "Outbound connection to {Host} refused: it is (or resolves to) {Address}, {Kind}. Plugins and dial-out runtimes may only reach public addresses; set {Setting}=true to allow private targets (logged once per host and address)")]
    private static partial void LogRefused(ILogger logger, string host, IPAddress address, string kind, string setting);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Debug, Message = "Outbound connection to {Host} ({Address}) refused again")]
    private static partial void LogRefusedAgain(ILogger logger, string host, IPAddress address);

    /// <summary>Checks the target of each request that goes through the proxy before it is sent.</summary>
    private sealed class ProxiedTargetCheck(OutboundNetworkGuard guard, IWebProxy proxy, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { IsAbsoluteUri: true } uri && !proxy.IsBypassed(uri) && proxy.GetProxy(uri) is not null)
            {
                try
                {
                    await guard.ResolveAsync(uri.IdnHost, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // A name only the proxy can resolve (split DNS): the proxy decides.
                }
                catch (OutboundTargetRefusedException ex)
                {
                    // The same shape SocketsHttpHandler gives a failed ConnectCallback.
                    throw new HttpRequestException(HttpRequestError.ConnectionError, $"{ex.Message} ({uri.IdnHost}:{uri.Port})", ex);
                }
            }

            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
