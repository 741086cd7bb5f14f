namespace ClawScale.Cli.Output;

/// <summary>A plain-text table: a header row and rows of cells, printed with columns aligned by padding.</summary>
public sealed class Table
{
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table with the column <paramref name="headers"/>.</summary>
    public Table(params string[] headers) => Headers = headers;

    /// <summary>The column headers.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>Adds a row; missing cells print empty, null prints empty, line breaks print as spaces.</summary>
    public Table Add(params string?[] cells)
    {
        _rows.Add(cells.Select(c => (c ?? string.Empty).ReplaceLineEndings(" ")).ToArray());
        return this;
    }

    /// <summary>Writes the table to <paramref name="writer"/>: two spaces between columns, no trailing spaces.</summary>
    public void WriteTo(TextWriter writer)
    {
        var widths = Headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
            for (var i = 0; i < widths.Length && i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);

        void Line(IReadOnlyList<string> cells)
        {
            var parts = Enumerable.Range(0, widths.Length).Select(i => (i < cells.Count ? cells[i] : string.Empty).PadRight(widths[i]));
            writer.WriteLine(string.Join("  ", parts).TrimEnd());
        }

        Line(Headers);
        foreach (var row in _rows) Line(row);
    }
}
