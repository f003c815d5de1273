namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// What each call costs the server and how much each instance may take at once: the call's work replaces the
/// scenario's, and the fleet settings are passed to the fleet script.
/// </summary>
public sealed record WorkProfile
{
    /// <summary>Names the profile in the study report and in each cell's run name, e.g. <c>io-bound</c>.</summary>
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>Awaited delay per call (I/O-bound work: holds no thread). Default: none.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>CPU spin per call (CPU-bound work). Default: none.</summary>
    public TimeSpan Cpu { get; init; }

    /// <summary>Calls each instance works on at once (<c>--capacity</c>); 0 = unlimited. Default: 0.</summary>
    public int Capacity { get; init; }

    /// <summary>Calls each instance lets wait for a capacity slot (<c>--queue</c>). Default: the server's (equal to the capacity).</summary>
    public int? Queue { get; init; }

    /// <summary>Pins instance i to CPU i mod cores (<c>--pin</c>), so that instances cannot borrow idle cores. Default: false.</summary>
    public bool Pin { get; init; }

    /// <summary>
    /// Your own server's command line, <c>{port}</c> where each instance's port goes (the fleet script's
    /// <c>--command</c>): the profile's fleet runs it instead of the lab's server. Default: the lab's server.
    /// </summary>
    public string? Command { get; init; }
}
