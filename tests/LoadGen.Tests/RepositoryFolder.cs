using System.Runtime.CompilerServices;

namespace GrpcLoadLab.LoadGen.Tests;

/// <summary>
/// The repository these tests were built from (the folder holding Lab.sln), for tests that read its files. The test
/// output may lie outside it (--artifacts-path), so it is looked for above the output folder first, then above this
/// source file.
/// </summary>
internal static class RepositoryFolder
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(ThisFile()) })
        {
            for (var folder = start is null ? null : new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Lab.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        throw new InvalidOperationException("no Lab.sln above the test output or the test source");
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
