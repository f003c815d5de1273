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
            return $"'{directory}' cannot be written: {e.Message.TrimEnd('.')}";
        }
    }
}
