using Grpc.Core;

namespace GrpcLoadLab.Server.Faults;

/// <summary>
/// One fault in force: its settings, which of its calls fail, and the timer that clears it when it has a duration.
/// A new fault is a new instance, so its spread of failures starts afresh.
/// </summary>
public sealed class ActiveFault : IDisposable
{
    /// <summary>The ratio's resolution: a millionth, so that the spread is exact integer arithmetic.</summary>
    private const long PartsPerMillion = 1_000_000;

    private readonly long _failingParts;
    private readonly Status _failure;
    private long _calls;

    public ActiveFault(FaultSettings settings)
    {
        Settings = settings;
        _failingParts = (long)Math.Round(settings.FailureRatio * PartsPerMillion);
        _failure = new Status(settings.FailureStatus, $"failed on purpose by a fault ({settings})");
    }

    public FaultSettings Settings { get; }

    /// <summary>Clears the fault when its duration ends; set once, by whoever puts the fault in force.</summary>
    public ITimer? Expiry { get; set; }

    /// <summary>The status a failed call ends with; its message says the failure was on purpose.</summary>
    public Status Failure => _failure;

    /// <summary>
    /// Counts one call and says whether it fails. The failures are spread evenly by the call's index, not drawn at
    /// random: call n fails when floor((n+1)·r) passes floor(n·r), so any 10 consecutive calls at 0.3 hold exactly 3
    /// failures. A random draw would make the share vary from run to run (30 of 100 could be 21 or 39), which is noise
    /// when runs are compared, and would make the tests flaky.
    /// </summary>
    public bool ChooseToFail()
    {
        if (_failingParts == 0)
        {
            return false;
        }

        // The pattern repeats every million calls; the remainder keeps the products far from overflow.
        var index = (Interlocked.Increment(ref _calls) - 1) % PartsPerMillion;
        return (index + 1) * _failingParts / PartsPerMillion > index * _failingParts / PartsPerMillion;
    }

    public void Dispose() => Expiry?.Dispose();
}
