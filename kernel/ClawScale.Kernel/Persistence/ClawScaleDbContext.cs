using System.Text;
using ClawScale.Kernel.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ClawScale.Kernel.Persistence;

/// <summary>
/// The kernel's database: the domain of ARCHITECTURE.md with snake_case tables and columns. Used through one of the
/// provider-specific subclasses (<see cref="SqliteClawScaleDbContext"/>, <see cref="PostgresClawScaleDbContext"/>),
/// each with its own migrations.
/// </summary>
/// <remarks>
/// Adding a migration: EF Core's design-time package cannot be restored here, so migrations are SQL scripts. Change the
/// model, then add <c>Persistence/Migrations/{Sqlite,Postgres}/000N_name.sql</c> with the statements that bring the
/// previous schema to the new one, and a migration class beside <c>M0001Initial</c> for each provider.
/// <c>MigrationScriptTests</c> builds one database with the migrations and one from the model and fails until their
/// schemas match (on SQLite always, on PostgreSQL when CLAWSCALE_TEST_POSTGRES is set; <c>bash .ci/run</c> runs both).
/// </remarks>
internal abstract class ClawScaleDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<TenantEntity> Tenants => Set<TenantEntity>();
    public DbSet<ApiKeyEntity> ApiKeys => Set<ApiKeyEntity>();
    public DbSet<CustomerEntity> Customers => Set<CustomerEntity>();
    public DbSet<ExternalIdentityEntity> ExternalIdentities => Set<ExternalIdentityEntity>();
    public DbSet<ChannelEntity> Channels => Set<ChannelEntity>();
    public DbSet<AgentEntity> Agents => Set<AgentEntity>();
    public DbSet<AgentBindingEntity> AgentBindings => Set<AgentBindingEntity>();
    public DbSet<ConversationEntity> Conversations => Set<ConversationEntity>();
    public DbSet<MessageEntity> Messages => Set<MessageEntity>();
    public DbSet<DeliveryRouteEntity> DeliveryRoutes => Set<DeliveryRouteEntity>();
    public DbSet<InboundEventEntity> InboundEvents => Set<InboundEventEntity>();
    public DbSet<TurnEntity> Turns => Set<TurnEntity>();
    public DbSet<OutboundDeliveryEntity> OutboundDeliveries => Set<OutboundDeliveryEntity>();
    public DbSet<LinkCodeEntity> LinkCodes => Set<LinkCodeEntity>();
    public DbSet<JoinLinkEntity> JoinLinks => Set<JoinLinkEntity>();
    public DbSet<JoinLinkRedemptionEntity> JoinLinkRedemptions => Set<JoinLinkRedemptionEntity>();
    public DbSet<ChannelListenerCheckpointEntity> ChannelListenerCheckpoints => Set<ChannelListenerCheckpointEntity>();

    /// <summary>Which database this context speaks.</summary>
    public abstract DatabaseProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ClawScaleDbContext).Assembly);
        var utc = new ValueConverter<DateTime, DateTime>(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        var utcNullable = new ValueConverter<DateTime?, DateTime?>(v => v, v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
                if (Provider == DatabaseProvider.Sqlite)
                {
                    // SQLite stores DateTime as text without a kind; everything the kernel writes is UTC.
                    if (property.ClrType == typeof(DateTime)) property.SetValueConverter(utc);
                    else if (property.ClrType == typeof(DateTime?)) property.SetValueConverter(utcNullable);
                }
            }

            foreach (var key in entity.GetKeys()) key.SetName(ToSnakeCase(key.GetName()!));
            foreach (var fk in entity.GetForeignKeys()) fk.SetConstraintName(ToSnakeCase(fk.GetConstraintName()!));
            foreach (var index in entity.GetIndexes()) index.SetDatabaseName(ToSnakeCase(index.GetDatabaseName()!));
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
