namespace GrpcLoadLab.LoadGen.Scenarios.Json;

/// <summary>Splits the paths System.Text.Json reports (<c>$.phases[0].rate</c>, <c>$['odd key']</c>) into keys and indexes.</summary>
internal static class JsonPathSegments
{
    /// <summary>Each segment is a key (<see cref="string"/>) or an array index (<see cref="int"/>).</summary>
    public static IReadOnlyList<object> Parse(string path)
    {
        var segments = new List<object>();
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 2)..end].Replace("\\'", "'", StringComparison.Ordinal));
                i = end + 2;
            }
            else
            {
                var end = path.IndexOf(']', i);
                end = end < 0 ? path.Length : end;
                segments.Add(int.Parse(path.AsSpan(i + 1, end - i - 1), System.Globalization.CultureInfo.InvariantCulture));
                i = end + 1;
            }
        }

        return segments;
    }
}
