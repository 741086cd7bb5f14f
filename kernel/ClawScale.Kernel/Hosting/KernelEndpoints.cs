using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ClawScale.Kernel.Hosting;

/// <summary>
/// The kernel's two listening endpoints, readable after start (ports chosen by the OS when configured as 0):
/// HTTP/1.1 for webhooks, health and pages, and HTTP/2 for gRPC.
/// </summary>
public sealed class KernelEndpoints
{
    internal ListenOptions? Http { get; set; }
    internal ListenOptions? Grpc { get; set; }

    /// <summary>Whether both ports use TLS.</summary>
    public bool UsesTls { get; internal set; }

    /// <summary>The HTTP/1.1 base address, for example <c>http://127.0.0.1:4040</c>.</summary>
    public Uri HttpAddress => ToUri(Http);

    /// <summary>The gRPC base address, for example <c>http://127.0.0.1:4041</c> (h2c).</summary>
    public Uri GrpcAddress => ToUri(Grpc);

    private Uri ToUri(ListenOptions? options)
    {
        var endpoint = options?.IPEndPoint ?? throw new InvalidOperationException("The kernel has not started listening yet.");
        var host = endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1" : endpoint.Address.ToString();
        return new Uri($"{(UsesTls ? "https" : "http")}://{host}:{endpoint.Port}");
    }
}
