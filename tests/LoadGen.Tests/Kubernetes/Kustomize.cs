using System.ComponentModel;
using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace GrpcLoadLab.LoadGen.Tests.Kubernetes;

/// <summary>kustomize itself, as kubectl carries it (<c>kubectl kustomize</c>): renders a kustomization without a cluster.</summary>
internal static class Kustomize
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>The documents kustomize renders from the kustomization in <paramref name="folder"/>.</summary>
    public static async Task<IReadOnlyList<Manifest>> RenderAsync(string folder)
    {
        var startInfo = new ProcessStartInfo("kubectl", ["kustomize", folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(startInfo)!;
        }
        catch (Win32Exception)
        {
            Assert.Fail("kubectl is not installed: its kustomize renders deploy/kubernetes (this machine's image has the kubectl package)");
            throw;
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(Limit);
            Assert.True(process.ExitCode == 0, $"kubectl kustomize {folder} failed: {await error}");

            var stream = new YamlStream();
            stream.Load(new StringReader(output));
            return [.. stream.Documents.Select(d => new Manifest("(rendered)", (YamlMappingNode)d.RootNode))];
        }
    }
}
