namespace GrpcLoadLab.LoadGen.Reports.Html;

/// <summary>
/// plotly.js as Plotly.NET ships it (an embedded resource of its assembly). Pages do not inline it (3.7 MB each):
/// they load one shared copy, <see cref="FileName"/>, from the reports folder, which every writer of a page puts
/// there (<see cref="WriteInto"/>). The name carries plotly's version, so pages of an older loadgen keep theirs.
/// </summary>
internal static class PlotlyJs
{
    private static readonly Lazy<byte[]> Source = new(Load);

    public static string FileName { get; } = $"plotly-{Version}.min.js";

    private static string Version => global::Globals.PLOTLYJS_VERSION;

    /// <summary>Writes the shared copy into <paramref name="folder"/> unless it is there already; returns its path.</summary>
    public static string WriteInto(string folder)
    {
        var path = Path.Combine(folder, FileName);
        var existing = new FileInfo(path);
        if (!existing.Exists || existing.Length != Source.Value.Length)
        {
            Directory.CreateDirectory(folder);
            // Written aside and moved into place: a page opened meanwhile never loads half a library.
            var partial = path + $".{Environment.ProcessId}.tmp";
            File.WriteAllBytes(partial, Source.Value);
            File.Move(partial, path, overwrite: true);
        }

        return path;
    }

    private static byte[] Load()
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        var name = $"Plotly.NET.{FileName}";
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Plotly.NET carries no resource {name}");
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
