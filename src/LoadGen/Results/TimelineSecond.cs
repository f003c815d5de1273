using System.Text.Json.Serialization;

namespace GrpcLoadLab.LoadGen.Results;

/// <summary>
/// One second of the run. Latency percentiles are of the calls that ended in that second, in microseconds;
/// <see cref="TargetLoad"/> is the concurrency or rate the phase asked for at that moment. A "second" is the time
/// between two ticks of the run's clock: about one second, but the last one ends with the run (a fraction of a
/// second, or less after Ctrl-C) and a busy machine can tick late. <see cref="EndSeconds"/> says where it really
/// ended; read the counts as rates with <see cref="TimedSecond"/>.
/// </summary>
/// <param name="EndSeconds">
/// Seconds from the run's start when this second was closed; null in results written before it was recorded.
/// </param>
/// <param name="Histogram">
/// The latency of the calls that ended in this second, the whole HdrHistogram encoded (<see cref="HistogramCodec"/>),
/// so that agents' seconds merge exactly; kept by agents' runs (<c>--agent</c>) only, null (and not written) otherwise.
/// </param>
public sealed record TimelineSecond(
    int Second,
    int Phase,
    double TargetLoad,
    long Started,
    long Succeeded,
    long Failed,
    long Dropped,
    long InFlight,
    long P50,
    long P90,
    long P99,
    long Max,
    IReadOnlyDictionary<string, EndpointSecond> Endpoints,
    GeneratorSecond Generator,
    double? EndSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Histogram = null);

/// <summary>One endpoint's calls that ended in one second, by the instance that served them.</summary>
public sealed record EndpointSecond(long Succeeded, long Failed);

/// <summary>The generator's own health in one second.</summary>
/// <param name="CpuPercent">Of all cores: 100 = every core busy with the generator.</param>
/// <param name="GcPauseMillis">Time the generator's GC paused it in that second.</param>
/// <param name="ScheduleLagP99Micros">Open model: p99 of how late calls started in that second.</param>
/// <param name="HostCpuPercent">
/// Of all cores, busy with anything (servers, generator, kernel, other processes); null where it cannot be read, and in
/// results written before it was measured.
/// </param>
/// <param name="GcCollections">
/// The generator's garbage collections in that second, of any generation (each collects gen0): with the pause, it says
/// whether a GC setting pauses less often or for shorter; null in results written before it was counted.
/// </param>
/// <param name="JitCompiledMethods">
/// Methods the generator's JIT compiled in that second, re-compilations at a higher tier included (the runtime's
/// <c>dotnet.jit.compiled_methods</c>): high while the generator warms up, near none once it is warm; null in results
/// written before it was counted.
/// </param>
/// <param name="JitMillis">Time the JIT spent compiling in that second, on any thread; null in results written before it was measured.</param>
public sealed record GeneratorSecond(
    double CpuPercent,
    double GcPauseMillis,
    long ThreadPoolQueue,
    long ScheduleLagP99Micros,
    double? HostCpuPercent = null,
    int? GcCollections = null,
    long? JitCompiledMethods = null,
    double? JitMillis = null);
