using Grpc.Core;
using GrpcLoadLab.Server.Faults;
using GrpcLoadLab.Server.Hosting;
using GrpcLoadLab.Server.Metrics;
using GrpcLoadLab.Server.Work;

namespace GrpcLoadLab.Server.Services;

/// <summary>
/// Lets a call in past the capacity limit, or fails it fast with RESOURCE_EXHAUSTED and counts it. A behaviour fault in
/// force (SetFault) fails its share of calls before that, and delays the admitted ones before their work.
/// </summary>
public sealed class CallAdmission(CapacityGate gate, InstanceCounters counters, InstanceIdentity identity, FaultInjector faults)
{
    public async ValueTask<CallScope> AdmitAsync(CallKind kind, ServerCallContext context)
    {
        var fault = faults.Current;
        if (fault is not null)
        {
            // Before admission: a failing instance answers at once and takes no capacity slot.
            try
            {
                faults.FailIfChosen(fault);
            }
            catch (RpcException e)
            {
                counters.CallFailedByFault(kind, e.StatusCode);
                throw;
            }
        }

        var token = context.CancellationToken;
        // Counted in flight while it waits for a slot: a queued call is one the instance has taken on.
        var started = counters.CallStarted(kind);
        CallScope call;
        try
        {
            var lease = await gate.EnterAsync(token);
            call = new CallScope(counters, kind, lease, started, token);
        }
        catch (CapacityExceededException)
        {
            counters.CallRejected(kind);
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted,
                $"{identity.Id} is at capacity ({gate.Capacity} calls working, {gate.QueueLimit} waiting)"));
        }
        catch (OperationCanceledException)
        {
            // The client left while the call waited for a slot.
            counters.CallEnded(kind, CallOutcome.Cancelled, StatusCode.Cancelled, started);
            throw CancelledByClient();
        }

        if (fault is not null)
        {
            try
            {
                await faults.DelayAsync(fault, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Ends the call as cancelled: its slot is freed and the in-flight count comes back down.
                call.Dispose();
                throw CancelledByClient();
            }
        }

        return call;
    }

    /// <summary>
    /// The client cancelled or its deadline passed: the work stopped. Thrown as an RpcException so that grpc-dotnet
    /// does not log it as an error of the service (the client has already seen its status).
    /// </summary>
    public static RpcException CancelledByClient() =>
        new(new Status(StatusCode.Cancelled, "the call was cancelled by the client or its deadline; the work stopped"));
}
