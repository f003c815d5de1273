using System.Text;

namespace GrpcLoadLab.LoadGen.Reports;

/// <summary>
/// Columns of plain text, each as wide as its widest cell: a table that stays aligned in a file or a CI log, where
/// box drawing and colour codes would not.
/// </summary>
internal sealed class TextTable(params TextTable.Column[] columns)
{
    private const string Gap = "  ";

    private readonly List<string[]> _rows = [];

    public static Column Left(string header) => new(header, AlignRight: false);

    public static Column Right(string header) => new(header, AlignRight: true);

    public TextTable AddRow(params string[] cells)
    {
        if (cells.Length != columns.Length)
        {
            throw new ArgumentException($"A row needs {columns.Length} cells, not {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    /// <summary>The header, then each row, every line starting with <paramref name="indent"/>.</summary>
    public void Write(TextWriter output, string indent)
    {
        var widths = columns
            .Select((column, i) => _rows.Select(row => row[i].Length).Append(column.Header.Length).Max())
            .ToArray();
        WriteLine(output, indent, [.. columns.Select(column => column.Header)], widths);
        foreach (var row in _rows)
        {
            WriteLine(output, indent, row, widths);
        }
    }

    private void WriteLine(TextWriter output, string indent, string[] cells, int[] widths)
    {
        var line = new StringBuilder(indent);
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append(Gap);
            }

            line.Append(columns[i].AlignRight ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
        }

        // The padding of a last, left-aligned column would only leave trailing blanks.
        output.WriteLine(line.ToString().TrimEnd());
    }

    internal readonly record struct Column(string Header, bool AlignRight);
}
