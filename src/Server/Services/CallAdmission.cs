using Grpc.Core;
using GrpcLoadLab.Server.Hosting;
using GrpcLoadLab.Server.Metrics;
using GrpcLoadLab.Server.Work;

namespace GrpcLoadLab.Server.Services;

/// <summary>Lets a call in past the capacity limit, or fails it fast with RESOURCE_EXHAUSTED and counts it.</summary>
public sealed class CallAdmission(CapacityGate gate, InstanceCounters counters, InstanceIdentity identity)
{
    public async ValueTask<CallScope> AdmitAsync(CallKind kind, ServerCallContext context)
    {
        var token = context.CancellationToken;
        // Counted in flight while it waits for a slot: a queued call is one the instance has taken on.
        counters.CallStarted();
        try
        {
            var lease = await gate.EnterAsync(token);
            return new CallScope(counters, kind, lease, token);
        }
        catch (CapacityExceededException)
        {
            counters.CallRejected();
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted,
                $"{identity.Id} is at capacity ({gate.Capacity} calls working, {gate.QueueLimit} waiting)"));
        }
        catch (OperationCanceledException)
        {
            counters.CallEnded(kind, CallOutcome.Cancelled);
            throw;
        }
    }
}
