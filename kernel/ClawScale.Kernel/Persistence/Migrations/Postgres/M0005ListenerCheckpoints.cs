using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ClawScale.Kernel.Persistence.Migrations.Postgres;

/// <summary>The <c>channel_listener_checkpoints</c> table (a listener's stored stream position per channel), on PostgreSQL.</summary>
[DbContext(typeof(PostgresClawScaleDbContext))]
[Migration("20261205000005_ListenerCheckpoints")]
internal sealed class M0005ListenerCheckpoints : SqlScriptMigration
{
    protected override string ScriptName => "0005_listener_checkpoints";
    protected override string ProviderFolder => "Postgres";
}
