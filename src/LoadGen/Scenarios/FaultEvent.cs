using System.Text.Json.Serialization;
using Grpc.Core;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// A fault the run puts in on purpose, chosen by its <c>action</c>, at <see cref="At"/> from the run's start (warm-up
/// included: the report's timeline seconds). <see cref="Instance"/> is the fleet script's instance number, the line
/// of the registry (or the place in a <c>static:</c> list), counting from 1. Process actions go through the fleet
/// script; slow and fail go to the instance's SetFault.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "action", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(KillFault), "kill")]
[JsonDerivedType(typeof(TerminateFault), "terminate")]
[JsonDerivedType(typeof(RestartFault), "restart")]
[JsonDerivedType(typeof(SlowFault), "slow")]
[JsonDerivedType(typeof(FailFault), "fail")]
public abstract record FaultEvent(
    // When and where first: written back (result.json, the report) they read as the scenario file has them.
    [property: JsonPropertyOrder(-2)] TimeSpan At,
    [property: JsonPropertyOrder(-1)] int Instance)
{
    /// <summary>Kill, terminate and restart act on the process, through the fleet script; slow and fail through SetFault.</summary>
    public bool ActsOnProcess() => this is KillFault or TerminateFault or RestartFault;

    /// <summary>A slow or fail fault's end; null for one that lasts to the end of the run, and for process actions.</summary>
    public TimeSpan? PlannedEnd() => this switch
    {
        SlowFault slow => slow.Until,
        FailFault fail => fail.Until,
        _ => null,
    };
}

/// <summary><c>kill -9</c> the instance (<c>servers.sh kill I</c>): calls in flight on it are cut off.</summary>
public sealed record KillFault(TimeSpan At, int Instance) : FaultEvent(At, Instance);

/// <summary>SIGTERM the instance (<c>servers.sh terminate I</c>): it drains gracefully, then exits.</summary>
public sealed record TerminateFault(TimeSpan At, int Instance) : FaultEvent(At, Instance);

/// <summary>Start the instance again on its port (<c>servers.sh restart I</c>), stopping it first if it runs.</summary>
public sealed record RestartFault(TimeSpan At, int Instance) : FaultEvent(At, Instance);

/// <summary>Every call the instance serves waits <see cref="Delay"/> longer, from <see cref="FaultEvent.At"/> to <see cref="Until"/>.</summary>
public sealed record SlowFault(TimeSpan At, int Instance, TimeSpan Delay) : FaultEvent(At, Instance)
{
    /// <summary>When the fault ends; null: at the end of the run.</summary>
    public TimeSpan? Until { get; init; }
}

/// <summary>A share (<see cref="Ratio"/>) of the instance's calls fail at once with <see cref="Status"/>, until <see cref="Until"/>.</summary>
public sealed record FailFault(TimeSpan At, int Instance, double Ratio, StatusCode Status) : FaultEvent(At, Instance)
{
    /// <summary>When the fault ends; null: at the end of the run.</summary>
    public TimeSpan? Until { get; init; }
}
