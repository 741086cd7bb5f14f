using System.Security.Cryptography.X509Certificates;
using ClawScale.Kernel.Hosting;
using ClawScale.Protos.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace ClawScale.Kernel.Console;

/// <summary>
/// The console's way to the kernel: gRPC clients on the kernel's own gRPC port (loopback), so every console action
/// runs through the same services, authentication interceptor and tenant checks as any API client. With TLS the
/// client trusts exactly the kernel's configured certificate.
/// </summary>
internal sealed class ConsoleApi(KernelEndpoints endpoints, IOptions<ClawScaleOptions> options) : IDisposable
{
    private readonly Lock _gate = new();
    private GrpcChannel? _channel;

    /// <summary>The deadline of one console call.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>AdminService on the loopback channel.</summary>
    public AdminService.AdminServiceClient Admin => new(Channel);

    /// <summary>RoutingService on the loopback channel (conversations and messages).</summary>
    public RoutingService.RoutingServiceClient Routing => new(Channel);

    private GrpcChannel Channel
    {
        get
        {
            lock (_gate)
            {
                return _channel ??= Create();
            }
        }
    }

    private GrpcChannel Create()
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2) };
        if (endpoints.UsesTls && options.Value.Tls?.CertificatePath is { } path)
        {
            using var expected = X509CertificateLoader.LoadPkcs12FromFile(path, options.Value.Tls.CertificatePassword);
            var thumbprint = expected.Thumbprint;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && string.Equals(certificate.GetCertHashString(), thumbprint, StringComparison.OrdinalIgnoreCase);
        }

        return GrpcChannel.ForAddress(endpoints.GrpcAddress, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _channel?.Dispose();
        }
    }
}
