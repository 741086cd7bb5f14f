using Npgsql;

namespace ClawScale.Kernel.Persistence;

/// <summary>
/// Npgsql settings the kernel applies to the configured PostgreSQL connection string unless it sets them itself:
/// <list type="bullet">
/// <item><description><c>No Reset On Close=true</c>: the kernel keeps no session state on pooled connections (no
/// <c>SET</c>, temporary tables, <c>LISTEN</c> or advisory locks: the listener locks use their own unpooled
/// connection), so the <c>DISCARD ALL</c> Npgsql otherwise sends on every return to the pool is a wasted round trip.
/// Open transactions are still rolled back on return.</description></item>
/// <item><description><c>Max Auto Prepare=64</c>: statements run often are prepared once per physical connection
/// (Npgsql "Automatic Preparation"), which saves PostgreSQL parse and plan time on the pipeline's hot
/// statements.</description></item>
/// </list>
/// </summary>
internal static class PostgresConnectionString
{
    /// <summary>Returns <paramref name="connectionString"/> with the defaults above added where not set.</summary>
    public static string WithDefaults(string connectionString)
    {
        // The generic builder holds only the keys actually written (Npgsql's answers true for every known keyword).
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = given.Keys.Cast<string>().Select(k => k.Replace(" ", string.Empty, StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!keys.Contains("NoResetOnClose")) builder.NoResetOnClose = true;
        if (!keys.Contains("MaxAutoPrepare")) builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
    }
}
