using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ClawScale.Kernel.Persistence.Migrations.Sqlite;

/// <summary>The W3C trace context columns (<c>trace_parent</c>) of turns and deliveries, on SQLite.</summary>
[DbContext(typeof(SqliteClawScaleDbContext))]
[Migration("20261205000003_TraceContext")]
internal sealed class M0003TraceContext : SqlScriptMigration
{
    protected override string ScriptName => "0003_trace_context";
    protected override string ProviderFolder => "Sqlite";
}
