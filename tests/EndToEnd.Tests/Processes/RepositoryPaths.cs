using System.Reflection;

namespace GrpcLoadLab.EndToEnd.Tests.Processes;

/// <summary>Where the things under test are: the server's DLL beside the tests, the scripts in the repository.</summary>
public static class RepositoryPaths
{
    /// <summary>Copied here by the project reference, so that it is the build under test in any configuration.</summary>
    public static string ServerDll { get; } = Path.Combine(AppContext.BaseDirectory, "GrpcLoadLab.Server.dll");

    /// <summary>The load generator in its own output folder, as its build recorded it.</summary>
    public static string LoadGenDll { get; } = Metadata("LoadGenDll");

    /// <summary>The folder holding Lab.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string FleetScript { get; } = Path.Combine(Root, "scripts", "servers.sh");

    /// <summary>The runtime settings every script gives loadgen, as a bash array (LOADGEN_GC_ENV).</summary>
    public static string LoadGenGcSettings { get; } = Path.Combine(Root, "scripts", "lib", "loadgen-gc.sh");

    // The output folder is inside the repository unless it was built with an artifacts path elsewhere;
    // the project folder recorded at build time covers that case.
    private static string FindRoot()
    {
        var projectDirectory = Metadata("ProjectDirectory");
        foreach (var start in new[] { AppContext.BaseDirectory, projectDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Lab.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} or {projectDirectory} holds Lab.sln");
    }

    private static string Metadata(string key) =>
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
