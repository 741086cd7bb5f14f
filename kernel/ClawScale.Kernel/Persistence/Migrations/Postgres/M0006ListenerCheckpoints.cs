using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ClawScale.Kernel.Persistence.Migrations.Postgres;

/// <summary>The <c>channel_listener_checkpoints</c> table (a listener's stored stream position per channel), on PostgreSQL.</summary>
[DbContext(typeof(PostgresClawScaleDbContext))]
[Migration("20261205000006_ListenerCheckpoints")]
internal sealed class M0006ListenerCheckpoints : SqlScriptMigration
{
    protected override string ScriptName => "0006_listener_checkpoints";
    protected override string ProviderFolder => "Postgres";
}
