using System.Globalization;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Study;
using GrpcLoadLab.LoadGen.Tests.Reports;

namespace GrpcLoadLab.LoadGen.Tests.Study;

/// <summary>
/// Synthetic sweeps for the study's tests: each cell's run is the real <c>unary-closed</c> result (2 cores, a warm-up
/// phase 0 and a measured phase 1) with its totals, servers and timeline replaced by the figures a test needs.
/// </summary>
internal sealed class StudySweeps
{
    /// <summary>Every synthetic run's measured phase lasts this long, so that throughput × 10 calls succeeded.</summary>
    public const double Seconds = 10;

    private static readonly RunResult Template = TestRuns.Read("unary-closed");

    private readonly List<SweepCellResult> _cells = [];
    private readonly Dictionary<string, RunResult> _runs = new(StringComparer.Ordinal);

    public StudySweeps(string name = "study") => Name = name;

    public string Name { get; }

    public IReadOnlyList<SweepCellResult> Cells => _cells;

    /// <summary>The cores of the machine the runs say they ran on.</summary>
    public static int RunCores => Template.Environment.ProcessorCount;

    /// <summary>A run's folder name for a cell.</summary>
    public static string Folder(string profile, string policy, int instances, double load) =>
        string.Create(CultureInfo.InvariantCulture, $"20250101-120000-{profile}-{policy}-n{instances}-l{load}");

    /// <summary>
    /// A run with the given figures: <paramref name="throughput"/> successful calls a second (plus
    /// <paramref name="failedPerSecond"/> failed), mean latency, p50 and p99, and the cores the servers (split evenly over
    /// <paramref name="serverCount"/> servers; none when null) and the generator kept busy, and the cores the whole
    /// machine kept busy (<paramref name="hostCores"/>; unread when null).
    /// </summary>
    public static RunResult Run(
        double throughput,
        double meanMs,
        double? p99Ms = null,
        double failedPerSecond = 0,
        double? serverCores = null,
        int serverCount = 1,
        double generatorCores = 0,
        bool valid = true,
        bool partial = false,
        IReadOnlyList<(int Phase, long InFlight)>? seconds = null,
        double? hostCores = null)
    {
        var succeeded = (long)Math.Round(throughput * Seconds);
        var failed = (long)Math.Round(failedPerSecond * Seconds);
        var latency = Template.Totals.Latency with
        {
            Mean = meanMs * 1000,
            P50 = (long)Math.Round(meanMs * 1000),
            P99 = (long)Math.Round((p99Ms ?? meanMs * 2) * 1000),
        };
        var totals = Template.Totals with
        {
            Seconds = Seconds,
            Calls = new CallCounts(succeeded + failed, succeeded, failed, 0, 0, 0),
            CallsPerSecond = (succeeded + failed) / Seconds,
            Latency = latency,
        };
        var generator = Template.Timeline[^1].Generator with { CpuPercent = generatorCores / RunCores * 100, HostCpuPercent = hostCores / RunCores * 100 };
        var timeline = (seconds ?? [(1, 0)])
            .Select((s, i) => Template.Timeline[^1] with { Second = i + 1, Phase = s.Phase, InFlight = s.InFlight, Generator = generator })
            .ToList();
        return Template with
        {
            Partial = partial,
            PartialReason = partial ? "interrupted" : null,
            Totals = totals,
            Timeline = timeline,
            Servers = serverCores is { } cores ? [.. Enumerable.Range(0, serverCount).Select(i => Server(i, cores / serverCount))] : [],
            Verdict = Template.Verdict with { Valid = valid },
        };
    }

    /// <summary>One server's GetStats replies at the start and the end: <paramref name="cores"/> of CPU over 10 s.</summary>
    public static ServerStatsPair Server(int index, double cores) => new(
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{5301 + index}"),
        new InstanceStats { InstanceId = "a", UptimeMicros = 1_000_000, ProcessCpuMicros = 500_000 },
        new InstanceStats { InstanceId = "a", UptimeMicros = 11_000_000, ProcessCpuMicros = 500_000 + (long)Math.Round(cores * 10_000_000) });

    /// <summary>Adds a cell; a null <paramref name="run"/> is a run whose folder cannot be read.</summary>
    public StudySweeps Cell(string profile, int instances, double load, RunResult? run, string policy = "round_robin", bool openModel = false)
    {
        var folder = Folder(profile, policy, instances, load);
        _cells.Add(new SweepCellResult(profile, policy, instances, openModel, load, folder, 0));
        if (run is not null)
        {
            _runs[folder] = run;
        }

        return this;
    }

    /// <summary>Adds a cell that never ran: no run folder.</summary>
    public StudySweeps NotRun(string profile, int instances, double load, string policy = "round_robin")
    {
        _cells.Add(new SweepCellResult(profile, policy, instances, false, load, null, 0));
        return this;
    }

    /// <summary>
    /// Adds, for one profile, a cell per instance count and load: <paramref name="throughput"/>[i][j] calls/s on
    /// <paramref name="instances"/>[i] at <paramref name="loads"/>[i][j] callers, each with Little's law holding exactly.
    /// </summary>
    public StudySweeps Grid(string profile, int[] instances, double[][] loads, double[][] throughput, double? serverCores = null, double generatorCores = 0, string policy = "round_robin")
    {
        for (var i = 0; i < instances.Length; i++)
        {
            for (var j = 0; j < loads[i].Length; j++)
            {
                var x = throughput[i][j];
                Cell(profile, instances[i], loads[i][j], Run(x, x > 0 ? loads[i][j] / x * 1000 : 0, serverCores: serverCores, generatorCores: generatorCores), policy);
            }
        }

        return this;
    }

    public SweepResult Result(SweepSpec? spec = null, int cores = 2, string? partialReason = null) => new(
        SweepResult.SchemaName,
        SweepResult.CurrentVersion,
        Name,
        partialReason is not null,
        partialReason,
        new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2025, 1, 1, 12, 5, 0, TimeSpan.Zero),
        spec ?? Spec(Name),
        cores,
        [.. _cells]);

    public StudyAnalysis Analysis(SweepSpec? spec = null, int cores = 2, string? partialReason = null) =>
        StudyAnalysis.Of(Result(spec, cores, partialReason), folder => _runs.GetValueOrDefault(folder));

    /// <summary>A sweep of <paramref name="callers"/> per instance on each of <paramref name="instances"/>: the loads it plans for every fleet.</summary>
    public static SweepSpec PerInstance(int[] instances, params int[] callers) =>
        Spec("study") with { Instances = instances, Concurrency = callers, PerInstance = true };

    /// <summary>The sweep as given: the instances and loads of the cells hardly matter to the study, which reads the cells.</summary>
    public static SweepSpec Spec(string name, params WorkProfile[] profiles) => new()
    {
        Name = name,
        Description = "a synthetic study",
        Scenario = "../unary-closed.json",
        Instances = [1, 2, 4, 8],
        Concurrency = [1, 2, 4, 8, 16],
        Profiles = profiles.Length == 0 ? null : profiles,
    };
}
