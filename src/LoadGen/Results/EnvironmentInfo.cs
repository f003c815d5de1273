namespace GrpcLoadLab.LoadGen.Results;

/// <summary>Where the run ran: enough to tell two runs' machines and set-ups apart in a comparison.</summary>
/// <param name="Gc">The generator's garbage collector as it ran; null in results written before it was recorded.</param>
/// <param name="RealTimeDispatch">
/// Whether the open-model dispatcher could wait at real-time priority (without it, a call due while the cores are
/// busy can start milliseconds late); null in results written before it was recorded.
/// </param>
/// <param name="ThreadPoolSpinLimit">
/// How long an idle thread-pool worker spins for work before it blocks (the runtime's UnfairSemaphoreSpinLimit: 0
/// blocks at once); null in results written before it was recorded.
/// </param>
/// <param name="Jit">How the generator's code was compiled as it ran; null in results written before it was recorded.</param>
public sealed record EnvironmentInfo(
    string Machine,
    string OperatingSystem,
    int ProcessorCount,
    long MemoryBytes,
    string DotnetVersion,
    string LoadGenVersion,
    int ServerCount,
    IReadOnlyList<string> ServerAddresses,
    bool ServerGc,
    GcConfiguration? Gc = null,
    bool? RealTimeDispatch = null,
    int? ThreadPoolSpinLimit = null,
    JitConfiguration? Jit = null);

/// <summary>
/// The load generator's GC settings in effect (the project's defaults, or what DOTNET_* variables changed): they
/// decide how often and how long the generator pauses, so two runs differ in them or their figures do not compare.
/// </summary>
/// <param name="Mode">"server" or "workstation".</param>
/// <param name="Concurrent">Background collections of generation 2 (with workstation GC they also cap gen0's budget low).</param>
/// <param name="MaxHeaps">GC heaps at most (1 for workstation GC; server GC with dynamic adaptation starts with fewer).</param>
/// <param name="Gen0MaxBudgetBytes">The largest gen0 budget the GC allows itself: how much is allocated between two gen0 collections, at most.</param>
/// <param name="DynamicAdaptation">Server GC's dynamic adaptation to the application's size (DATAS).</param>
/// <param name="TieredPgo">Dynamic profile-guided optimisation of the JIT.</param>
/// <param name="Gen0SizeBytes">
/// The gen0 budget fixed by <c>DOTNET_GCgen0size</c> (scripts/loadgen sets 32 MiB), or 0 where the GC chose its own.
/// </param>
/// <param name="ArrayPoolArraysPerPartition">
/// How many arrays of a size the shared ArrayPool keeps per partition (one a core, unless
/// <c>DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXPARTITIONCOUNT</c> sets fewer), fixed by
/// <c>DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION</c> (scripts/loadgen sets 4,096), or null where the
/// runtime kept its default (32). Past it, every buffer the HTTP/2 client rents is new garbage.
/// </param>
public sealed record GcConfiguration(
    string Mode,
    bool Concurrent,
    int MaxHeaps,
    long Gen0MaxBudgetBytes,
    bool DynamicAdaptation,
    bool TieredPgo,
    long Gen0SizeBytes = 0,
    int? ArrayPoolArraysPerPartition = null);
