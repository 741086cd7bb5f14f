using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Pipeline;
using ClawScale.Kernel.Plugins;
using ClawScale.Kernel.Security;
using ClawScale.Protos.V1;

namespace ClawScale.Kernel.Admin;

/// <summary>
/// <c>clawscale.v1.AdminService</c>: tenants, API keys, channels, agents, bindings, customers, deliveries. Split by resource
/// across partial files. Every call is authenticated by <see cref="ApiKeyAuthInterceptor"/>; tenant-scoped keys see
/// only their tenant (others answer NOT_FOUND); runtime keys get PERMISSION_DENIED. UpdateChannel/UpdateAgent refuse
/// to move stored credentials to a changed endpoint (<see cref="CredentialRedirectGuard"/>).
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
    Microsoft.Extensions.Options.IOptions<Hosting.ClawScaleOptions> options,
    TimeProvider time,
    ILogger<AdminGrpcService> logger) : AdminService.AdminServiceBase
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private string NewId() => Guid.CreateVersion7(time.GetUtcNow()).ToString();

    /// <summary>
    /// Throws INVALID_ARGUMENT when an update changes an endpoint config key while stored credentials would follow it
    /// to the new address (see <see cref="CredentialRedirectGuard"/>), after logging the refusal.
    /// </summary>
    private void ThrowIfRedirectingCredentials(
        Caller caller, string resource, string rpc, string id, string tenantId, IReadOnlyCollection<string> declaredEndpointKeys,
        IReadOnlyDictionary<string, string> configBefore, IReadOnlyDictionary<string, string> configAfter,
        IReadOnlyDictionary<string, string> credentialsAfter, IEnumerable<KeyValuePair<string, string>> credentialsGiven)
    {
        var check = CredentialRedirectGuard.Check(configBefore, configAfter, credentialsAfter, credentialsGiven, declaredEndpointKeys);
        if (!check.Refused) return;
        LogCredentialRedirectRefused(logger, rpc, resource, id, tenantId, caller.KeyId, string.Join(", ", check.ChangedEndpointKeys), string.Join(", ", check.CarriedOverCredentials));
        throw CredentialRedirectGuard.Refusal(check, resource, rpc);
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning,
        Message = "{Rpc} of {Resource} {Id} (tenant {TenantId}) by API key {KeyId} refused: it changed endpoint config {Keys} without giving the stored credentials {Credentials} again")]
    private static partial void LogCredentialRedirectRefused(ILogger logger, string rpc, string resource, string id, string tenantId, string keyId, string keys, string credentials);
}
