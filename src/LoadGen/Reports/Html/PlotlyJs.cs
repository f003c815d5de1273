namespace GrpcLoadLab.LoadGen.Reports.Html;

/// <summary>
/// plotly.js as Plotly.NET ships it (an embedded resource of its assembly), so pages inline it and work offline.
/// Read once per process; each page inlines it once.
/// </summary>
internal static class PlotlyJs
{
    private static readonly Lazy<string> Source = new(Load);

    public static string Script => Source.Value;

    private static string Load()
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        var version = global::Globals.PLOTLYJS_VERSION;
        var name = $"Plotly.NET.plotly-{version}.min.js";
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Plotly.NET carries no resource {name}");
        using var reader = new StreamReader(stream);

        // Inline, a "</script" inside the library would end its element; "<\/" means the same in JavaScript.
        return reader.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }
}
