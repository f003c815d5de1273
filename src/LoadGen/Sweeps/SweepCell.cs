using System.Globalization;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.LoadGen.Fleet;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Sweeps;

/// <summary>
/// One experiment of a sweep: a work profile on <see cref="Instances"/> instances, spread by <see cref="Policy"/>, under
/// a load of <see cref="Load"/> callers (closed model) or calls a second (open model), in total.
/// </summary>
public sealed record SweepCell(int Index, WorkProfile Profile, BalancingPolicy Policy, int Instances, bool OpenModel, double Load)
{
    /// <summary>The load in words: "64 concurrent" or "800/s".</summary>
    public string LoadText => NumberText.Load(OpenModel, Load);

    /// <summary>
    /// The run's name, e.g. <c>demo-io-bound-n4-c32</c>: the sweep, the profile (unless the sweep is named after it), the
    /// policy (when several), instances and load.
    /// </summary>
    public string RunName(SweepSpec sweep, bool namePolicy)
    {
        var profile = Profile.Name == sweep.Name ? string.Empty : "-" + Profile.Name;
        var policy = namePolicy ? "-" + Spellings.Policy.Name(Policy) : string.Empty;
        var load = OpenModel ? string.Create(CultureInfo.InvariantCulture, $"r{Load:0.##}") : string.Create(CultureInfo.InvariantCulture, $"c{Load:0}");
        return $"{sweep.Name}{profile}{policy}-n{Instances}-{load}";
    }

    /// <summary>The fleet this cell needs; cells with equal fleets run on one start of it.</summary>
    public FleetSettings Fleet(int basePort, FleetTls? tls = null) => new(Instances, Profile.Capacity, Profile.Queue, Profile.Pin, basePort, Profile.Command, tls);
}
