using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Faults;
using GrpcLoadLab.Server.Hosting;
using GrpcLoadLab.Server.Work;

namespace GrpcLoadLab.Server.Metrics;

/// <summary>Takes a snapshot of the instance's counters and the process's own figures for the stats call.</summary>
public sealed class InstanceStatsReader(
    InstanceCounters counters,
    CapacityGate gate,
    InstanceIdentity identity,
    DrainCoordinator drain,
    FaultInjector faults)
{
    public InstanceStats Read() => new()
    {
        InstanceId = identity.Id,
        InFlight = counters.InFlight,
        Queued = gate.Queued,
        Rejected = counters.Rejected,
        Unary = Read(CallKind.Unary),
        ServerStream = Read(CallKind.ServerStream),
        ClientStream = Read(CallKind.ClientStream),
        Bidi = Read(CallKind.Bidi),
        Capacity = gate.Capacity,
        QueueLimit = gate.QueueLimit,
        UptimeMicros = (long)counters.Uptime.TotalMicroseconds,
        ProcessCpuMicros = (long)Environment.CpuUsage.TotalTime.TotalMicroseconds,
        WorkingSetBytes = Environment.WorkingSet,
        ProcessorCount = Environment.ProcessorCount,
        GcGen0Collections = GC.CollectionCount(0),
        GcGen1Collections = GC.CollectionCount(1),
        GcGen2Collections = GC.CollectionCount(2),
        GcPauseMicros = (long)GC.GetTotalPauseDuration().TotalMicroseconds,
        ThreadPoolThreads = ThreadPool.ThreadCount,
        ThreadPoolQueueLength = ThreadPool.PendingWorkItemCount,
        Draining = drain.IsDraining,
        FaultActive = faults.Current is not null,
        FaultsDelayed = faults.CallsDelayed,
        FaultsFailed = faults.CallsFailed,
    };

    private CallKindStats Read(CallKind kind)
    {
        var c = counters[kind];
        return new CallKindStats
        {
            Completed = c.Completed,
            Failed = c.Failed,
            Cancelled = c.Cancelled,
            MessagesReceived = c.MessagesReceived,
            MessagesSent = c.MessagesSent,
        };
    }
}
