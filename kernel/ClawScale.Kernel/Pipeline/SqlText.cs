using System.Data.Common;
using System.Text;
using ClawScale.Kernel.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// Builds and runs one set-based SQL statement (multi-row <c>VALUES</c>, <c>IN</c> lists) with named parameters
/// (<c>@p0</c>, <c>@p1</c>, …; both Npgsql and Microsoft.Data.Sqlite accept them), on the context's connection and in
/// its current transaction. Runs through ADO.NET rather than EF Core's <c>SqlQueryRaw</c>: the text differs with the
/// number of rows, and EF Core would compile and cache a query per distinct text.
/// </summary>
/// <remarks>
/// Values: strings, ints, and UTC <see cref="DateTime"/>s, which both providers store exactly as EF Core does
/// (PostgreSQL <c>timestamp with time zone</c>; SQLite text <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>); null is sent as NULL.
/// </remarks>
internal sealed class SqlText
{
    /// <summary>
    /// Most rows a caller puts in one multi-row statement (<see cref="Rows{T}"/>): at up to 20 parameters a row, 500 rows
    /// stay below SQLite's 32,766 and PostgreSQL's 65,535 parameters per statement. Callers chunk larger sets.
    /// </summary>
    public const int MaxRowsPerStatement = 500;

    private readonly StringBuilder _sql = new();
    private readonly List<object?> _args = [];

    /// <summary>Appends literal SQL.</summary>
    public SqlText Raw(string sql)
    {
        _sql.Append(sql);
        return this;
    }

    /// <summary>Appends a placeholder for <paramref name="value"/>.</summary>
    public SqlText P(object? value)
    {
        _sql.Append("@p").Append(_args.Count);
        _args.Add(value);
        return this;
    }

    /// <summary>Appends <c>(v1, v2, …)</c> rows separated by commas, one per item.</summary>
    public SqlText Rows<T>(IEnumerable<T> items, Func<T, object?[]> values)
    {
        var first = true;
        foreach (var item in items)
        {
            _sql.Append(first ? "(" : ", (");
            first = false;
            var row = values(item);
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0) _sql.Append(", ");
                P(row[i]);
            }

            _sql.Append(')');
        }

        return this;
    }

    /// <summary>Appends <c>v1, v2, …</c> (for <c>IN (…)</c>).</summary>
    public SqlText List<T>(IEnumerable<T> values)
    {
        var first = true;
        foreach (var value in values)
        {
            if (!first) _sql.Append(", ");
            first = false;
            P(value);
        }

        return this;
    }

    /// <inheritdoc />
    public override string ToString() => _sql.ToString();

    /// <summary>Runs the statement; returns the number of rows affected.</summary>
    public async Task<int> ExecuteAsync(ClawScaleDbContext db, CancellationToken cancellationToken)
    {
        await using var command = await CreateCommandAsync(db, cancellationToken);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs the statement and reads every row with <paramref name="read"/>.</summary>
    public async Task<List<T>> QueryAsync<T>(ClawScaleDbContext db, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = await CreateCommandAsync(db, cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken)) rows.Add(read(reader));
        return rows;
    }

    /// <summary>Runs the statement and returns the first column of every row as a string.</summary>
    public Task<List<string>> QueryStringsAsync(ClawScaleDbContext db, CancellationToken cancellationToken) =>
        QueryAsync(db, r => r.GetString(0), cancellationToken);

    private async Task<DbCommand> CreateCommandAsync(ClawScaleDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = _sql.ToString();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        for (var i = 0; i < _args.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "p" + i;
            parameter.Value = _args[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
