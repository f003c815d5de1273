using System.Net;
using System.Text;

namespace GrpcLoadLab.LoadGen.Reports.Html;

/// <summary>
/// The two ways text enters a report page: as HTML text (encoded, since names, descriptions and instance ids come
/// from scenario files and servers) and as JSON inside a <c>&lt;script&gt;</c> element.
/// </summary>
internal static class Html
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>
    /// JSON made safe to place inside <c>&lt;script&gt;</c>: in JSON <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> occur
    /// only inside strings, where their \u escapes mean the same, so no <c>&lt;/script&gt;</c> or <c>&lt;!--</c> can
    /// end the element early.
    /// </summary>
    public static string ScriptJson(string json)
    {
        var safe = new StringBuilder(json.Length);
        foreach (var c in json)
        {
            _ = c switch
            {
                '<' => safe.Append("\\u003c"),
                '>' => safe.Append("\\u003e"),
                '&' => safe.Append("\\u0026"),
                '\u2028' => safe.Append("\\u2028"),
                '\u2029' => safe.Append("\\u2029"),
                _ => safe.Append(c),
            };
        }

        return safe.ToString();
    }

    /// <summary>A table cell per value, each encoded.</summary>
    public static string Row(params string[] cells) => "<tr>" + Cells(cells) + "</tr>\n";

    /// <summary>The cells of a row whose other cells hold markup (a link).</summary>
    public static string Cells(params string[] cells) => string.Concat(cells.Select(cell => $"<td>{Encode(cell)}</td>"));

    public static string HeaderRow(params string[] cells) =>
        "<tr>" + string.Concat(cells.Select(cell => $"<th>{Encode(cell)}</th>")) + "</tr>\n";
}
