using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>Describes the machine and the set-up a run ran on.</summary>
internal static class EnvironmentProbe
{
    public static EnvironmentInfo Describe(IReadOnlyList<string> serverAddresses) => new(
        Environment.MachineName,
        RuntimeInformation.OSDescription,
        Environment.ProcessorCount,
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        RuntimeInformation.FrameworkDescription,
        typeof(EnvironmentProbe).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        serverAddresses.Count,
        serverAddresses,
        GCSettings.IsServerGC);
}
