using Grpc.Core;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Faults;
using GrpcLoadLab.Server.Hosting;
using GrpcLoadLab.Server.Metrics;
using GrpcLoadLab.Server.Metrics.Timeline;
using GrpcLoadLab.Server.Work;

namespace GrpcLoadLab.Server.Services;

/// <summary>
/// The four call kinds, each doing the work its requests ask for. Registered as a singleton: it keeps no per-call
/// state, and grpc-dotnet then creates no service instance per call.
/// </summary>
public sealed class LoadLabService(
    CallAdmission admission,
    InstanceIdentity identity,
    PayloadCache payloads,
    DrainCoordinator drain,
    InstanceStatsReader stats,
    FaultInjector faults,
    WorkLimits limits,
    ServerTimeline timeline) : LoadLab.LoadLabBase
{
    public override async Task<WorkReply> Unary(WorkRequest request, ServerCallContext context)
    {
        using var call = await admission.AdmitAsync(CallKind.Unary, context);
        call.MessageReceived();
        try
        {
            limits.Check(request);
            await SimulatedWork.DoAsync(request, context.CancellationToken);
        }
        catch (RpcException e) when (call.Failing(e))
        {
            throw; // Never reached: the filter only notes the status.
        }
        catch (Exception e) when (ClientLeft(e, context))
        {
            throw CallAdmission.CancelledByClient();
        }

        call.MessageSent();
        call.Succeed();
        return Reply(request.ReplySize, request.Sequence);
    }

    public override async Task ServerStream(WorkRequest request, IServerStreamWriter<WorkReply> responseStream, ServerCallContext context)
    {
        using var call = await admission.AdmitAsync(CallKind.ServerStream, context);
        call.MessageReceived();
        using var stream = LinkToDrain(context, call);
        try
        {
            limits.CheckServerStream(request);
            for (var index = 0; index < request.ReplyCount; index++)
            {
                await SimulatedWork.DoAsync(request, stream.Token);
                await responseStream.WriteAsync(Reply(request.ReplySize, index));
                call.MessageSent();
            }
        }
        catch (RpcException e) when (call.Failing(e))
        {
            throw; // Never reached: the filter only notes the status.
        }
        catch (Exception e) when (ClientLeft(e, context))
        {
            throw CallAdmission.CancelledByClient();
        }
        catch (OperationCanceledException)
        {
            // The instance is draining: end the stream cleanly with OK after the replies sent so far.
        }

        call.Succeed();
    }

    public override async Task<WorkReply> ClientStream(IAsyncStreamReader<WorkRequest> requestStream, ServerCallContext context)
    {
        using var call = await admission.AdmitAsync(CallKind.ClientStream, context);
        using var stream = LinkToDrain(context, call);
        long messages = 0, bytes = 0;
        WorkRequest? last = null;
        try
        {
            while (await requestStream.MoveNext(stream.Token))
            {
                last = requestStream.Current;
                call.MessageReceived();
                messages++;
                bytes += last.Payload.Length;
                // Any request may be the last, whose reply_size the reply takes.
                limits.Check(last);
                await SimulatedWork.DoAsync(last, stream.Token);
            }
        }
        catch (RpcException e) when (call.Failing(e))
        {
            throw; // Never reached: the filter only notes the status.
        }
        catch (Exception e) when (ClientLeft(e, context))
        {
            throw CallAdmission.CancelledByClient();
        }
        catch (OperationCanceledException)
        {
            // Draining: reply now with what was received, instead of waiting for the client to finish.
        }

        var reply = Reply(last?.ReplySize ?? 0, last?.Sequence ?? 0);
        reply.MessagesReceived = messages;
        reply.BytesReceived = bytes;
        call.MessageSent();
        call.Succeed();
        return reply;
    }

    public override async Task Bidi(IAsyncStreamReader<WorkRequest> requestStream, IServerStreamWriter<WorkReply> responseStream, ServerCallContext context)
    {
        using var call = await admission.AdmitAsync(CallKind.Bidi, context);
        using var stream = LinkToDrain(context, call);
        try
        {
            while (await requestStream.MoveNext(stream.Token))
            {
                var request = requestStream.Current;
                call.MessageReceived();
                limits.Check(request);
                await SimulatedWork.DoAsync(request, stream.Token);
                await responseStream.WriteAsync(Reply(request.ReplySize, request.Sequence));
                call.MessageSent();
            }
        }
        catch (RpcException e) when (call.Failing(e))
        {
            throw; // Never reached: the filter only notes the status.
        }
        catch (Exception e) when (ClientLeft(e, context))
        {
            throw CallAdmission.CancelledByClient();
        }
        catch (OperationCanceledException)
        {
            // Draining: end the stream cleanly with OK.
        }

        call.Succeed();
    }

    /// <summary>Not subject to the capacity limit: an overloaded instance must still say how it is doing.</summary>
    public override Task<InstanceStats> GetStats(StatsRequest request, ServerCallContext context) =>
        Task.FromResult(stats.Read());

    /// <summary>
    /// The instance's timeline, a second at a time, until the client leaves (CANCELLED, as any call it cancels) or the
    /// instance drains (OK). Like GetStats, neither counted as a call of the lab nor subject to the capacity limit or a
    /// fault: an overloaded or failing instance must still show how it is doing.
    /// </summary>
    public override async Task WatchStats(WatchStatsRequest request, IServerStreamWriter<ServerSecond> responseStream, ServerCallContext context)
    {
        if (request.RecentSeconds < 0 || request.RecentSeconds > ServerTimeline.KeptSeconds)
        {
            throw new RpcException(new Status(
                StatusCode.InvalidArgument, $"recent_seconds {request.RecentSeconds} is out of range: give 0-{ServerTimeline.KeptSeconds} (the seconds an instance keeps)"));
        }

        using var stream = LinkToDrain(context);
        using var watch = timeline.Watch(request.RecentSeconds);
        try
        {
            await foreach (var second in watch.Seconds.ReadAllAsync(stream.Token))
            {
                await responseStream.WriteAsync(second);
            }
        }
        catch (Exception e) when (ClientLeft(e, context))
        {
            throw CallAdmission.CancelledByClient();
        }
        catch (OperationCanceledException)
        {
            // The instance is draining: end the stream cleanly with OK.
        }
    }

    /// <summary>A control call: neither the fault it sets nor the capacity limit applies to it.</summary>
    public override Task<FaultState> SetFault(FaultRequest request, ServerCallContext context) =>
        Task.FromResult(faults.Set(request));

    /// <summary>
    /// The client cancelled or its deadline passed: whatever the work, a read or a write threw then (a cancellation, a
    /// stream aborted, a write after the call ended) is the client's normal leaving, not an error of the service.
    /// A refusal (RpcException) keeps its own status.
    /// </summary>
    private static bool ClientLeft(Exception e, ServerCallContext context) =>
        e is not RpcException && context.CancellationToken.IsCancellationRequested;

    private WorkReply Reply(int size, long sequence) =>
        new() { InstanceId = identity.Id, Payload = payloads.Get(size), Sequence = sequence };

    /// <summary>
    /// A lab stream's token, as <see cref="LinkToDrain(ServerCallContext)"/>. A stream that arrives after open streams
    /// were told to end (the connections stay a moment, so that their clients read that end) is refused UNAVAILABLE,
    /// as a stopped server's would be, rather than ended at once with OK having done nothing.
    /// </summary>
    private CancellationTokenSource LinkToDrain(ServerCallContext context, CallScope call)
    {
        if (drain.StreamsEnding.IsCancellationRequested)
        {
            var refusal = new RpcException(new Status(StatusCode.Unavailable, "the instance is draining: its open streams have ended"));
            call.Failing(refusal);
            throw refusal;
        }

        return LinkToDrain(context);
    }

    /// <summary>A streaming call's token: fires when the client goes away, or when the instance drains.</summary>
    private CancellationTokenSource LinkToDrain(ServerCallContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, drain.StreamsEnding);
}
