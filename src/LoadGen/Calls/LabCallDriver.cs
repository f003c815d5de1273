using Google.Protobuf;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Calls;

/// <summary>A call of the lab's own LoadLab service: the request asks the server for the work the scenario simulates.</summary>
internal abstract class LabCallDriver : CallDriver
{
    protected LabCallDriver(LoadLab.LoadLabClient client, CallSpec spec, RunRecorder recorder, CancellationToken runAborted)
        : base(spec, recorder, runAborted)
    {
        Client = client;
        Request = new WorkRequest
        {
            Payload = UnsafeByteOperations.UnsafeWrap(new byte[spec.RequestSize]),
            ReplySize = spec.ReplySize,
            ReplyCount = spec.Replies,
            DelayMicros = (long)spec.Delay.TotalMicroseconds,
            CpuMicros = (long)spec.Cpu.TotalMicroseconds,
        };
        RequestBytes = Request.CalculateSize() + FrameHeaderBytes;
    }

    protected LoadLab.LoadLabClient Client { get; }

    /// <summary>The request every call sends (streams send copies with their own sequence numbers).</summary>
    protected WorkRequest Request { get; }

    protected long RequestBytes { get; }

    protected void Sent(CallProgress progress) => Sent(progress, RequestBytes);

    protected static void Received(CallProgress progress, WorkReply reply) =>
        Received(progress, reply.CalculateSize() + FrameHeaderBytes, reply.InstanceId);

    /// <summary>A reply of a streaming call, received at <paramref name="timestamp"/>: the first one is timed.</summary>
    protected static void ReceivedOnStream(CallProgress progress, WorkReply reply, long timestamp) =>
        ReceivedOnStream(progress, reply.CalculateSize() + FrameHeaderBytes, reply.InstanceId, timestamp);
}
