using GrpcLoadLab.LoadGen.Results;

namespace GrpcLoadLab.LoadGen.Study;

/// <summary>
/// One cell of a sweep in the figures the study needs, read from its run's result: what it was asked (instances,
/// load) and what it got (throughput of successful calls, latency, errors, the CPU that servers and generator used).
/// </summary>
/// <param name="Throughput">Successful calls a second over the measured phase: failures are not capacity.</param>
/// <param name="MeanLatencyMs">Mean latency W (ms), from each call's scheduled start.</param>
/// <param name="InFlight">
/// Calls in flight L: the callers (closed model), or the mean of the per-second samples (open model).
/// </param>
/// <param name="ServerCores">Cores the servers kept busy together; null when their counters could not be read.</param>
/// <param name="GeneratorCores">Cores the load generator kept busy, on average over the run.</param>
/// <param name="HostCores">
/// Cores the whole machine kept busy over the measured phase (servers, generator, kernel, anything else); null where
/// the machine's CPU could not be read.
/// </param>
/// <param name="Servers">
/// Each instance's own timeline over the measured phases (<see cref="ServerLoadFigures"/>); null when the run did not
/// follow its servers (results written before loadgen did, runs with <c>--no-follow</c>).
/// </param>
public sealed record CellFigures(
    SweepCellResult Cell,
    double Throughput,
    double MeanLatencyMs,
    double P50Ms,
    double P99Ms,
    double ErrorRate,
    double InFlight,
    double? ServerCores,
    double GeneratorCores,
    double? HostCores,
    bool Valid,
    bool Partial,
    IReadOnlyList<ServerLoadFigures>? Servers = null)
{
    /// <summary>
    /// Cores busy in all: the machine's own figure where it was read, else the servers' and the generator's; null when
    /// neither the machine's CPU nor the servers' could be read (then nothing can be said about the cores).
    /// </summary>
    public double? BusyCores => HostCores ?? (ServerCores + GeneratorCores);

    /// <summary>CPU the servers spent per successful call (ms); null when their counters could not be read.</summary>
    public double? ServerCpuPerCallMs => ServerCores is { } servers && Throughput > 0 ? servers / Throughput * 1000 : null;

    /// <summary>Little's law, X = L / W: the throughput that the calls in flight and their latency imply.</summary>
    public double LittleThroughput => MeanLatencyMs > 0 ? InFlight / (MeanLatencyMs / 1000) : 0;

    /// <summary>How far the measured throughput is from Little's law, as a share of it (0 = exactly as the law says).</summary>
    public double LittleDeviation => LittleThroughput > 0 ? (Throughput - LittleThroughput) / LittleThroughput : 0;

    public static CellFigures Of(SweepCellResult cell, RunResult run)
    {
        var totals = run.Totals;
        var measured = run.Timeline.Where(s => run.Phases.FirstOrDefault(p => p.Index == s.Phase) is { Warmup: false }).ToList();
        var inFlight = cell.OpenModel
            ? measured.Select(s => (double)s.InFlight).DefaultIfEmpty(0).Average()
            : cell.Load;
        var servers = run.Servers.Select(ServerFigures.Of).ToList();
        double? serverCores = servers.Count > 0 && servers.All(s => s.CpuCores is not null) ? servers.Sum(s => s.CpuCores!.Value) : null;
        var cores = run.Environment.ProcessorCount;
        var generatorCores = run.Timeline.Select(s => s.Generator.CpuPercent).DefaultIfEmpty(0).Average() / 100 * cores;
        double? hostCores = measured.Count > 0 && measured.All(s => s.Generator.HostCpuPercent is not null)
            ? measured.Average(s => s.Generator.HostCpuPercent!.Value) / 100 * cores
            : null;
        return new CellFigures(
            cell,
            totals.Seconds > 0 ? totals.Calls.Succeeded / totals.Seconds : 0,
            totals.Latency.Mean / 1000,
            totals.Latency.P50 / 1000.0,
            totals.Latency.P99 / 1000.0,
            totals.ErrorRate,
            inFlight,
            serverCores,
            generatorCores,
            hostCores,
            run.Verdict.Valid,
            run.Partial,
            run.ServerTimelines is null ? null : ServerLoadFigures.Of(run));
    }
}
