using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ClawScale.Kernel.Persistence.Migrations.Postgres;

/// <summary>The onboarding tables <c>join_links</c> and <c>join_link_redemptions</c>, on PostgreSQL.</summary>
[DbContext(typeof(PostgresClawScaleDbContext))]
[Migration("20261205000004_JoinLinks")]
internal sealed class M0004JoinLinks : SqlScriptMigration
{
    protected override string ScriptName => "0004_join_links";
    protected override string ProviderFolder => "Postgres";
}
