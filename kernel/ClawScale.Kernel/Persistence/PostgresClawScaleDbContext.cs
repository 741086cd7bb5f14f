using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Persistence;

/// <summary>The kernel's database on PostgreSQL; migrations in <c>Migrations/Postgres</c>.</summary>
internal sealed class PostgresClawScaleDbContext(DbContextOptions<PostgresClawScaleDbContext> options) : ClawScaleDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
