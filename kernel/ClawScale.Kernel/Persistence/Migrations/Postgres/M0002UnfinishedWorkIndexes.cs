using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ClawScale.Kernel.Persistence.Migrations.Postgres;

/// <summary>Partial indexes over unfinished turns and deliveries, on PostgreSQL.</summary>
[DbContext(typeof(PostgresClawScaleDbContext))]
[Migration("20261121000002_UnfinishedWorkIndexes")]
internal sealed class M0002UnfinishedWorkIndexes : SqlScriptMigration
{
    protected override string ScriptName => "0002_unfinished_work_indexes";
    protected override string ProviderFolder => "Postgres";
}
