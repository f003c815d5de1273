using System.Threading.RateLimiting;
using GrpcLoadLab.Server.Metrics;

namespace GrpcLoadLab.Server.Services;

/// <summary>
/// One admitted call: holds its capacity slot and counts it in flight until disposed, then records how it ended.
/// A call that did not reach <see cref="Succeed"/> ended cancelled if its token fired (deadline, client cancel),
/// failed otherwise; either way the in-flight count comes back down.
/// </summary>
public sealed class CallScope : IDisposable
{
    private readonly InstanceCounters _counters;
    private readonly CallKind _kind;
    private readonly RateLimitLease? _lease;
    private readonly CancellationToken _callToken;
    private bool _succeeded;

    internal CallScope(InstanceCounters counters, CallKind kind, RateLimitLease? lease, CancellationToken callToken)
    {
        _counters = counters;
        _kind = kind;
        _lease = lease;
        _callToken = callToken;
    }

    public void MessageReceived() => _counters[_kind].MessageReceived();

    public void MessageSent() => _counters[_kind].MessageSent();

    public void Succeed() => _succeeded = true;

    public void Dispose()
    {
        _lease?.Dispose();
        var outcome = _succeeded ? CallOutcome.Completed
            : _callToken.IsCancellationRequested ? CallOutcome.Cancelled
            : CallOutcome.Failed;
        _counters.CallEnded(_kind, outcome);
    }
}
