using System.Globalization;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// Where a run's (or a sweep's) files go, and the one rule that names their folder. The folder is tried before any
/// load, so that a measurement is never made only to be lost to a folder that cannot be written; should writing fail
/// all the same, the result goes to <see cref="Fallback"/>.
/// </summary>
public static class OutputFolder
{
    /// <summary>Where a result goes when its own folder refuses it after the load: the system's temporary folder.</summary>
    public static string Fallback => Path.Combine(Path.GetTempPath(), "grpc-load-lab", "reports");

    /// <summary>
    /// Makes and returns a new folder <c>DIRECTORY/yyyyMMdd-HHmmss-NAME</c> (local time, so that it sorts and reads as the
    /// clock on the wall), or <c>…-NAME-2</c>, <c>-3</c>… when that is taken: two runs that start in one second keep
    /// their own folders.
    /// </summary>
    public static string CreateNew(string directory, DateTimeOffset startedAt, string name)
    {
        var stem = Path.Combine(directory, $"{Stamp(startedAt)}-{name}");
        var folder = stem;
        for (var suffix = 2; Directory.Exists(folder); suffix++)
        {
            folder = string.Create(CultureInfo.InvariantCulture, $"{stem}-{suffix}");
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The time that begins the name of what a command writes (a run's folder, a comparison page): <c>yyyyMMdd-HHmmss</c>, local.</summary>
    public static string Stamp(DateTimeOffset time) => time.ToLocalTime().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    /// <summary>
    /// What keeps <paramref name="directory"/> from taking a run's files, or null when it can: a folder that takes a
    /// file, or a missing one whose nearest existing parent does (it is made when the result is written). Nothing is
    /// left behind: a run refused later, still before its load, must leave no empty results folder.
    /// </summary>
    public static string? Problem(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        try
        {
            var full = Path.GetFullPath(directory);
            var existing = NearestExisting(full);
            if (File.Exists(existing))
            {
                return existing == full
                    ? $"'{directory}' is a file, not a folder"
                    : $"'{directory}' lies under '{existing}', which is a file, not a folder";
            }

            var probe = Path.Combine(existing, $".loadgen-write-check-{Guid.NewGuid():N}");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
                // Created and deleted: the folder (or the parent it will be made in) takes files.
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"'{directory}' cannot be created or written ({e.Message.TrimEnd('.')})";
        }
    }

    /// <summary>The path itself when it exists (file or folder), else its nearest existing parent.</summary>
    private static string NearestExisting(string fullPath)
    {
        var path = fullPath;
        while (!File.Exists(path) && !Directory.Exists(path))
        {
            // The root always exists, so the walk ends.
            path = Path.GetDirectoryName(path) ?? Path.GetPathRoot(fullPath)!;
        }

        return path;
    }
}
