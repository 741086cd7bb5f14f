using ClawScale.Kernel.Persistence;
using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Identity;

/// <summary>
/// Finds or provisions the Customer of a normalized external identity, safely under concurrency: the identity row is
/// inserted with <c>ON CONFLICT DO NOTHING</c> (SQLite and PostgreSQL), so two first contacts of one user at once
/// yield one Customer and no database error. Used by IdentityService and the pipeline's ACCEPT stage.
/// </summary>
internal sealed class CustomerDirectory(ClawScaleDbContext db, TimeProvider time)
{
    /// <summary>The customer and identity, and whether this call created them; null when missing and not created.</summary>
    public async Task<(CustomerEntity Customer, ExternalIdentityEntity Identity, bool Created)?> ResolveAsync(
        string tenantId, string provider, string identityType, string value, string displayName, bool createIfMissing, CancellationToken cancellationToken)
    {
        var found = await FindAsync(tenantId, provider, identityType, value, cancellationToken);
        if (found is not null) return found;
        if (!createIfMissing) return null;

        var now = time.GetUtcNow().UtcDateTime;
        var customerId = Guid.CreateVersion7(time.GetUtcNow()).ToString();
        var identityId = Guid.CreateVersion7(time.GetUtcNow()).ToString();
        var ownTransaction = db.Database.CurrentTransaction is null;
        await using var transaction = ownTransaction ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO customers (id, tenant_id, display_name, created_at, updated_at) VALUES ({customerId}, {tenantId}, {displayName}, {now}, {now})",
            cancellationToken);
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO external_identities (id, tenant_id, customer_id, provider, identity_type, value, created_at)
            VALUES ({identityId}, {tenantId}, {customerId}, {provider}, {identityType}, {value}, {now})
            ON CONFLICT (tenant_id, provider, identity_type, value) DO NOTHING
            """,
            cancellationToken);
        if (inserted == 0)
        {
            // Another call provisioned this identity first: drop our customer and answer with theirs.
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM customers WHERE id = {customerId}", cancellationToken);
            if (transaction is not null) await transaction.CommitAsync(cancellationToken);
            return await FindAsync(tenantId, provider, identityType, value, cancellationToken)
                ?? throw new InvalidOperationException("An external identity vanished while being provisioned; retry the call.");
        }

        if (transaction is not null) await transaction.CommitAsync(cancellationToken);
        var customer = new CustomerEntity { Id = customerId, TenantId = tenantId, DisplayName = displayName, CreatedAt = now, UpdatedAt = now };
        var identity = new ExternalIdentityEntity
        {
            Id = identityId,
            TenantId = tenantId,
            CustomerId = customerId,
            Provider = provider,
            IdentityType = identityType,
            Value = value,
            CreatedAt = now,
        };
        return (customer, identity, true);
    }

    private async Task<(CustomerEntity, ExternalIdentityEntity, bool)?> FindAsync(string tenantId, string provider, string identityType, string value, CancellationToken cancellationToken)
    {
        var row = await (from i in db.ExternalIdentities
                         join c in db.Customers on i.CustomerId equals c.Id
                         where i.TenantId == tenantId && i.Provider == provider && i.IdentityType == identityType && i.Value == value
                         select new { Identity = i, Customer = c }).FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : (row.Customer, row.Identity, false);
    }
}
