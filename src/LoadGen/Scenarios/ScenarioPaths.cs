namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// A scenario file's own inputs, named relative to the file's folder so that a scenario moves with them, as a sweep's
/// scenario and certificates are named relative to the sweep file: the schema (<c>protos</c>, <c>importPaths</c>,
/// <c>descriptorSet</c>), the <c>requests</c> file and the target's TLS files. What names the lab where it runs (a
/// <c>file:</c> registry, the reports' directory) and the command line's flags stay relative to the current folder.
/// </summary>
internal static class ScenarioPaths
{
    /// <summary><paramref name="scenario"/> with its relative input paths made full from <paramref name="folder"/>.</summary>
    public static Scenario FromFolder(Scenario scenario, string folder)
    {
        // An empty path is left for the run to refuse by its own message.
        string From(string path) => path.Length == 0 ? path : Path.GetFullPath(path, folder);
        string? FromOptional(string? path) => path is null ? null : From(path);

        var call = scenario.Call;
        var tls = scenario.Target.Tls;
        return scenario with
        {
            Call = call with
            {
                Protos = [.. call.Protos.Select(From)],
                ImportPaths = [.. call.ImportPaths.Select(From)],
                DescriptorSet = FromOptional(call.DescriptorSet),
                Requests = FromOptional(call.Requests),
            },
            Target = tls is null ? scenario.Target : scenario.Target with
            {
                Tls = tls with { CaFile = FromOptional(tls.CaFile), CertFile = FromOptional(tls.CertFile), KeyFile = FromOptional(tls.KeyFile) },
            },
        };
    }
}
