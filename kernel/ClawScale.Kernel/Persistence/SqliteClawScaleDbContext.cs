using Microsoft.EntityFrameworkCore;

namespace ClawScale.Kernel.Persistence;

/// <summary>The kernel's database on SQLite; migrations in <c>Migrations/Sqlite</c>.</summary>
internal sealed class SqliteClawScaleDbContext(DbContextOptions<SqliteClawScaleDbContext> options) : ClawScaleDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}
