namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// Where a run's files go. The folder is tried before any load, so that a measurement is never made only to be lost
/// to a folder that cannot be written; should writing fail all the same, the result goes to <see cref="Fallback"/>.
/// </summary>
public static class OutputFolder
{
    /// <summary>Where a result goes when its own folder refuses it after the load: the system's temporary folder.</summary>
    public static string Fallback => Path.Combine(Path.GetTempPath(), "grpc-load-lab", "reports");

    /// <summary>
    /// Creates <paramref name="directory"/> if it is missing and writes a file into it (deleted at once); returns what
    /// is wrong, or null when the folder takes files.
    /// </summary>
    public static string? Problem(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (File.Exists(directory))
        {
            return $"'{directory}' is a file, not a folder";
        }

        if (FileAbove(directory) is { } file)
        {
            return $"'{directory}' lies under '{file}', which is a file, not a folder";
        }

        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".loadgen-write-check-{Guid.NewGuid():N}");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
                // Created and deleted: the folder takes files.
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"'{directory}' cannot be created or written ({e.Message.TrimEnd('.')})";
        }
    }

    /// <summary>The nearest existing path above <paramref name="directory"/> when it is a file; null otherwise.</summary>
    private static string? FileAbove(string directory)
    {
        try
        {
            for (var parent = Path.GetDirectoryName(Path.GetFullPath(directory)); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
            {
                if (File.Exists(parent))
                {
                    return parent;
                }

                if (Directory.Exists(parent))
                {
                    return null;
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            // A path that cannot even be made full is refused below, with the system's words.
        }

        return null;
    }
}
