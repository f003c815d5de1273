using System.Globalization;
using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Runtime;
using System.Runtime.InteropServices;
using GrpcLoadLab.LoadGen.Load;
using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Runner;

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
        GCSettings.IsServerGC,
        DescribeGc(),
        PreciseWait.RealTimeGranted(),
        ThreadPoolSpinLimit(),
        DescribeJit());

    /// <summary>The runtime's default for <see cref="ThreadPoolSpinLimit"/> when nothing sets it.</summary>
    internal const int DefaultThreadPoolSpinLimit = 70;

    /// <summary>
    /// The thread pool's UnfairSemaphoreSpinLimit as the runtime reads it: DOTNET_ThreadPool_UnfairSemaphoreSpinLimit
    /// first, then runtimeconfig.json (LoadGen.csproj sets 0), then its default.
    /// </summary>
    internal static int ThreadPoolSpinLimit()
    {
        if (RuntimeVariable("ThreadPool_UnfairSemaphoreSpinLimit") is { } fromVariable and >= 0 and <= int.MaxValue)
        {
            return (int)fromVariable;
        }

        return AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit") switch
        {
            int number and >= 0 => number,
            uint number when number <= int.MaxValue => (int)number,
            string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
            _ => DefaultThreadPoolSpinLimit,
        };
    }

    /// <summary>
    /// The GC's own view of its settings (GC.GetConfigurationVariables), not the project file's: DOTNET_* variables
    /// change some of them, and the gen0 budget follows from the others.
    /// </summary>
    internal static GcConfiguration DescribeGc()
    {
        var settings = GC.GetConfigurationVariables();
        long Number(string key) => settings.TryGetValue(key, out var value) ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;
        var server = GCSettings.IsServerGC;
        return new GcConfiguration(
            server ? "server" : "workstation",
            // Batch is the latency mode of a GC without background collections.
            GCSettings.LatencyMode != GCLatencyMode.Batch,
            server ? (int)Number("HeapCount") : 1,
            Number("GCGen0MaxBudget"),
            server && Number("GCDynamicAdaptationMode") == 1,
            RuntimeSwitch("TieredPGO", "System.Runtime.TieredPGO"),
            Gen0SizeFromEnvironment(),
            ArrayPoolArraysPerPartitionFromEnvironment());
    }

    /// <summary>
    /// The JIT's settings as the runtime reads them (each DOTNET_* variable first, then runtimeconfig.json, then the
    /// runtime's default: on), and whether loadgen's own code ran compiled ahead of time.
    /// </summary>
    internal static JitConfiguration DescribeJit() => new(
        RuntimeSwitch("TieredCompilation", "System.Runtime.TieredCompilation"),
        RuntimeSwitch("TieredPGO", "System.Runtime.TieredPGO"),
        RuntimeSwitch("TC_QuickJitForLoops", "System.Runtime.TieredCompilation.QuickJitForLoops"),
        // DOTNET_ReadyToRun=0 makes the runtime ignore the code compiled ahead of time.
        IsReadyToRunImage(typeof(EnvironmentProbe).Assembly.Location) && RuntimeVariable("ReadyToRun") is not 0);

    /// <summary>Whether the assembly at <paramref name="path"/> holds code compiled ahead of time (ReadyToRun), not only IL.</summary>
    internal static bool IsReadyToRunImage(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var reader = new PEReader(File.OpenRead(path));
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    /// <summary>
    /// A runtime switch that is on by default: DOTNET_<paramref name="variable"/> when set (0 turns it off), else the
    /// runtimeconfig.json property <paramref name="property"/>, else on.
    /// </summary>
    private static bool RuntimeSwitch(string variable, string property) =>
        RuntimeVariable(variable) is { } fromVariable
            ? fromVariable != 0
            : !AppContext.TryGetSwitch(property, out var configured) || configured;

    /// <summary>
    /// DOTNET_GCgen0size, which the GC honours only as an environment variable, so GetConfigurationVariables does not
    /// list it; 0 when unset.
    /// </summary>
    private static long Gen0SizeFromEnvironment() => RuntimeVariable("GCgen0size") ?? 0;

    /// <summary>
    /// DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION as the shared ArrayPool reads it, once, at its first
    /// use: at most 32 characters, 1 to 10 decimal digits between spaces, a positive Int32; null otherwise (the pool
    /// then keeps its default).
    /// </summary>
    private static int? ArrayPoolArraysPerPartitionFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION");
        var digits = value is { Length: > 0 and <= 32 } ? value.AsSpan().Trim(' ') : [];
        return digits.Length is > 0 and <= 10 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var arrays) && arrays > 0
            ? arrays
            : null;
    }

    /// <summary>
    /// The runtime's setting DOTNET_<paramref name="name"/> (or its older COMPlus_ spelling), which it reads as
    /// hexadecimal with or without "0x"; null when unset or not a number.
    /// </summary>
    private static long? RuntimeVariable(string name)
    {
        var value = Environment.GetEnvironmentVariable("DOTNET_" + name) ?? Environment.GetEnvironmentVariable("COMPlus_" + name);
        var digits = value is not null && value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? value[2..] : value;
        return long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number) ? number : null;
    }
}
