using Google.Protobuf;
using Grpc.Core;
using GrpcLoadLab.Server.Hosting;

namespace GrpcLoadLab.Server.Services;

/// <summary>
/// Refuses a reply_size whose reply would exceed the send limit, up front with a clear RESOURCE_EXHAUSTED, instead of
/// doing the work and then failing mid-send (grpc-dotnet checks the limit only as it serializes the reply).
/// </summary>
public sealed class ReplySizeLimit(ServerOptions options, InstanceIdentity identity)
{
    /// <summary>
    /// The largest the reply's other fields can be: the tags of payload, sequence, messages_received and
    /// bytes_received, and the three 64-bit numbers at their widest (10 bytes each), so the check never lets through a
    /// reply that would still fail.
    /// </summary>
    private const int OtherFieldsAtMost = 4 + (3 * 10);

    public void Check(int replySize)
    {
        if (replySize <= 0)
        {
            return;
        }

        // Long: a reply_size near int.MaxValue must not wrap around to a small total.
        var replyBytes = (long)replySize + CodedOutputStream.ComputeLengthSize(replySize)
            + 1 + CodedOutputStream.ComputeStringSize(identity.Id) + OtherFieldsAtMost;
        if (replyBytes > options.MaxSendMessageSize)
        {
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted,
                $"reply_size {replySize} makes a reply of up to {replyBytes} bytes, over this server's send limit of {options.MaxSendMessageSize} bytes (--max-send-message-size)"));
        }
    }
}
