using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ClawScale.Kernel.Persistence.Migrations.Sqlite;

/// <summary>The initial schema on SQLite.</summary>
[DbContext(typeof(SqliteClawScaleDbContext))]
[Migration("20261121000001_Initial")]
internal sealed class M0001Initial : SqlScriptMigration
{
    protected override string ScriptName => "0001_initial";
    protected override string ProviderFolder => "Sqlite";
}
