using ClawScale.Kernel.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Security;

/// <summary>
/// Resolves <c>authorization: Bearer &lt;api key&gt;</c> to a <see cref="Caller"/>: looks the key up by its SHA-256
/// hash, compares in constant time, refuses revoked keys. <c>last_used_at</c> is refreshed at most once a minute.
/// </summary>
internal sealed class ApiKeyAuthenticator(ClawScaleDbContext db, TimeProvider time)
{
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Returns the caller, or null when the header is missing, malformed, unknown or revoked.</summary>
    public async ValueTask<Caller?> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (!TryParseBearer(authorization, out var secret)) return null;
        var hash = ApiKeySecrets.Hash(secret);
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.SecretHash == hash, cancellationToken);
        if (key is null || key.RevokedAt is not null || !ApiKeySecrets.HashEquals(key.SecretHash, hash)) return null;

        var now = time.GetUtcNow().UtcDateTime;
        if (key.LastUsedAt is null || now - key.LastUsedAt.Value > LastUsedResolution)
        {
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        var agents = key.AgentIds.Length == 0 ? [] : key.AgentIds.Split(',');
        return new Caller(key.Id, key.Scope, key.TenantId, agents);
    }

    internal static bool TryParseBearer(string? header, out string secret)
    {
        secret = string.Empty;
        if (string.IsNullOrWhiteSpace(header)) return false;
        var value = header.Trim();
        if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        secret = value[7..].Trim();
        return secret.StartsWith(ApiKeySecrets.SecretPrefix, StringComparison.Ordinal) && secret.Length <= 200;
    }
}
