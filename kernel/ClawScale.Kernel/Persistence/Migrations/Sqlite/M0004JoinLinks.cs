using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ClawScale.Kernel.Persistence.Migrations.Sqlite;

/// <summary>The onboarding tables <c>join_links</c> and <c>join_link_redemptions</c>, on SQLite.</summary>
[DbContext(typeof(SqliteClawScaleDbContext))]
[Migration("20261205000004_JoinLinks")]
internal sealed class M0004JoinLinks : SqlScriptMigration
{
    protected override string ScriptName => "0004_join_links";
    protected override string ProviderFolder => "Sqlite";
}
