using System.Text;

namespace ClawScale.Kernel.Pipeline;

/// <summary>
/// Builds one set-based SQL statement (multi-row <c>VALUES</c>, <c>IN</c> lists) with EF Core's positional
/// placeholders (<c>{0}</c>, <c>{1}</c>, …), so every value travels as a parameter and is converted by the provider's
/// type mapping exactly like <c>ExecuteSqlInterpolated</c> does. Used with <c>ExecuteSqlRawAsync</c> and <c>SqlQueryRaw</c>.
/// </summary>
internal sealed class SqlText
{
    private readonly StringBuilder _sql = new();
    private readonly List<object?> _args = [];

    /// <summary>The parameter values, in placeholder order.</summary>
    public object[] Args => _args.ToArray()!;

    /// <summary>Appends literal SQL.</summary>
    public SqlText Raw(string sql)
    {
        _sql.Append(sql);
        return this;
    }

    /// <summary>Appends a placeholder for <paramref name="value"/>.</summary>
    public SqlText P(object? value)
    {
        _sql.Append('{').Append(_args.Count).Append('}');
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
}
