using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ClawScale.Kernel.Persistence.Migrations.Postgres;

/// <summary>The initial schema on PostgreSQL.</summary>
[DbContext(typeof(PostgresClawScaleDbContext))]
[Migration("20261121000001_Initial")]
internal sealed class M0001Initial : SqlScriptMigration
{
    protected override string ScriptName => "0001_initial";
    protected override string ProviderFolder => "Postgres";
}
