using Google.Protobuf;
using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Hosting;

namespace GrpcLoadLab.Server.Services;

/// <summary>
/// Checks the work a request asks for before any of it is done: every field within its range (INVALID_ARGUMENT,
/// naming the field and the range), the work within <see cref="ServerOptions.MaxWork"/>, and the reply within the
/// send limit (RESOURCE_EXHAUSTED, up front, instead of failing mid-send: grpc-dotnet checks the limit only as it
/// serializes the reply). A client chooses every number here: none may overflow a clock, outlast a timer's range, or
/// hold a core for hours.
/// </summary>
public sealed class WorkLimits(ServerOptions options, InstanceIdentity identity)
{
    /// <summary>The most replies one server stream may ask for: with zero work each, still a bounded stream.</summary>
    public const int MaxReplyCount = 1_000_000;

    /// <summary>
    /// The largest the reply's other fields can be: the tags of payload, sequence, messages_received and
    /// bytes_received, and the three 64-bit numbers at their widest (10 bytes each), so the check never lets through a
    /// reply that would still fail.
    /// </summary>
    private const int OtherFieldsAtMost = 4 + (3 * 10);

    private long MaxWorkMicros => (long)options.MaxWork.TotalMicroseconds;

    private string MaxWorkText => DurationRange.Format(options.MaxWork);

    /// <summary>A unary call's request, or one message of a client or bidi stream: its work is done once.</summary>
    public void Check(WorkRequest request)
    {
        RequireWithinWork("delay_micros", request.DelayMicros);
        RequireWithinWork("cpu_micros", request.CpuMicros);
        // Each at most an hour of microseconds: neither this sum nor the product below can overflow.
        if (request.DelayMicros + request.CpuMicros > MaxWorkMicros)
        {
            throw Invalid($"delay_micros + cpu_micros = {request.DelayMicros + request.CpuMicros} µs of work is more than this server allows: {MaxWorkMicros} µs (--max-work {MaxWorkText})");
        }

        if (request.ReplySize < 0)
        {
            throw Invalid($"reply_size {request.ReplySize} is out of range: give 0 up to the send limit of {options.MaxSendMessageSize} bytes");
        }

        CheckReplySize(request.ReplySize);
    }

    /// <summary>
    /// A server stream's request: its work is done before each of its reply_count replies. Its CPU in all is held to
    /// the cap; its delays are not, since they hold no core: a long-lived stream of replies is a thing to study, and
    /// ends with its deadline, its client or the drain.
    /// </summary>
    public void CheckServerStream(WorkRequest request)
    {
        if (request.ReplyCount is < 0 or > MaxReplyCount)
        {
            throw Invalid($"reply_count {request.ReplyCount} is out of range: give 0-{MaxReplyCount}");
        }

        Check(request);
        if (request.CpuMicros * request.ReplyCount > MaxWorkMicros)
        {
            throw Invalid($"reply_count {request.ReplyCount} × cpu_micros {request.CpuMicros} = {request.CpuMicros * request.ReplyCount} µs of CPU is more than this server allows per call: {MaxWorkMicros} µs (--max-work {MaxWorkText})");
        }
    }

    private void RequireWithinWork(string field, long micros)
    {
        if (micros < 0 || micros > MaxWorkMicros)
        {
            throw Invalid($"{field} {micros} is out of range: give 0-{MaxWorkMicros} (this server's --max-work {MaxWorkText})");
        }
    }

    private void CheckReplySize(int replySize)
    {
        if (replySize == 0)
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

    private static RpcException Invalid(string message) =>
        new(new Status(StatusCode.InvalidArgument, message));
}
