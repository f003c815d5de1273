using Google.Protobuf;
using Grpc.Core;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Bench.MinimalServer;

/// <summary>Unary only: no admission, counters or work; the other calls stay unimplemented.</summary>
public sealed class MinimalLoadLabService(string instanceId) : LoadLab.LoadLabBase
{
    public override Task<WorkReply> Unary(WorkRequest request, ServerCallContext context) =>
        Task.FromResult(new WorkReply
        {
            InstanceId = instanceId,
            Payload = ByteString.CopyFrom(new byte[Math.Max(request.ReplySize, 0)]),
            Sequence = request.Sequence,
        });
}
