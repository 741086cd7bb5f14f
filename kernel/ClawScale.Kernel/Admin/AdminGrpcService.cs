using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Plugins;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Admin;

/// <summary>
/// <c>clawscale.v1.AdminService</c>: tenants, API keys, channels, agents, bindings, customers, deliveries. Split by resource
/// across partial files. Every call is authenticated by <see cref="ApiKeyAuthInterceptor"/>; tenant-scoped keys see
/// only their tenant (others answer NOT_FOUND); runtime keys get PERMISSION_DENIED.
/// </summary>
internal sealed partial class AdminGrpcService(
    ClawScaleDbContext db,
    SecretProtector secrets,
    ISecretGenerator generator,
    IKindValidator kinds,
    ClawScale.Plugins.Hosting.IPluginCatalog plugins,
    Channels.IChannelRegistry channelRegistry,
    IPipelineSignals signals,
    ApiKeyAuthenticator authenticator,
    TimeProvider time) : AdminService.AdminServiceBase
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private string NewId() => Guid.CreateVersion7(time.GetUtcNow()).ToString();
}
