using System.Reflection;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ClawScale.Kernel.Persistence.Migrations;

/// <summary>
/// A migration whose Up step is an embedded SQL script, <c>Migrations/{Sqlite|Postgres}/{ScriptName}.sql</c>.
/// Migrations are SQL because EF Core's design-time tooling is not available here; see
/// <see cref="ClawScaleDbContext"/> for how to add one.
/// </summary>
internal abstract class SqlScriptMigration : Migration
{
    /// <summary>The script's file name without extension, for example <c>0001_initial</c>.</summary>
    protected abstract string ScriptName { get; }

    /// <summary>The provider folder, <c>Sqlite</c> or <c>Postgres</c>.</summary>
    protected abstract string ProviderFolder { get; }

    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(ReadScript(ProviderFolder, ScriptName));

    protected override void Down(MigrationBuilder migrationBuilder) =>
        throw new InvalidOperationException("ClawScale migrations are forward-only; restore a backup to go back.");

    internal static string ReadScript(string providerFolder, string scriptName)
    {
        var name = $"ClawScale.Kernel.Persistence.Migrations.{providerFolder}.{scriptName}.sql";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded migration script '{name}' is missing from the kernel assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
