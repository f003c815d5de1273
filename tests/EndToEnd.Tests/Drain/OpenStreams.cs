using Grpc.Core;
using GrpcLoadLab.Common;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.EndToEnd.Tests.Drain;

/// <summary>
/// Long-lived streaming calls that only the server can end: server streams asking for far more replies than they
/// will get, and bidi streams echoing message after message. Each is bounded by its count and its deadline.
/// </summary>
public sealed class OpenStreams
{
    private const int MaxMessages = 1_000_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly List<TaskCompletionSource> _firstReplies = [];

    private OpenStreams(LoadLab.LoadLabClient client, WorkRequest work, int serverStreams, int bidiStreams)
    {
        var calls = new List<Task<StreamOutcome>>();
        for (var i = 0; i < serverStreams; i++)
        {
            calls.Add(ServerStreamAsync(client, work, NewFirstReply()));
        }

        for (var i = 0; i < bidiStreams; i++)
        {
            calls.Add(BidiAsync(client, work, NewFirstReply()));
        }

        Completion = Task.WhenAll(calls);
    }

    /// <summary>How each stream ended, once all have.</summary>
    public Task<StreamOutcome[]> Completion { get; }

    public static OpenStreams Start(LoadLab.LoadLabClient client, WorkRequest work, int serverStreams, int bidiStreams) =>
        new(client, work, serverStreams, bidiStreams);

    /// <summary>Completes once every stream has had a reply, that is, every stream is open.</summary>
    public Task WaitUntilOpenAsync(TimeSpan within) =>
        Task.WhenAll(_firstReplies.Select(r => r.Task)).WaitAsync(within);

    private TaskCompletionSource NewFirstReply()
    {
        var firstReply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _firstReplies.Add(firstReply);
        return firstReply;
    }

    private static async Task<StreamOutcome> ServerStreamAsync(LoadLab.LoadLabClient client, WorkRequest work, TaskCompletionSource firstReply)
    {
        var request = work.Clone();
        request.ReplyCount = MaxMessages;
        using var call = client.ServerStream(request, deadline: DateTime.UtcNow + Deadline);
        var replies = 0;
        try
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
                replies++;
                firstReply.TrySetResult();
            }
        }
        catch (RpcException e)
        {
            return new StreamOutcome("server stream", e.StatusCode, replies);
        }

        return new StreamOutcome("server stream", call.GetStatus().StatusCode, replies);
    }

    private static async Task<StreamOutcome> BidiAsync(LoadLab.LoadLabClient client, WorkRequest work, TaskCompletionSource firstReply)
    {
        using var call = client.Bidi(deadline: DateTime.UtcNow + Deadline);
        var replies = 0;
        try
        {
            for (var sequence = 0; sequence < MaxMessages; sequence++)
            {
                var request = work.Clone();
                request.Sequence = sequence;
                if (!await call.RequestStream.TryWriteAsync(request, CancellationToken.None))
                {
                    // The server ended the call between two messages: its status comes with the response.
                    while (await call.ResponseStream.MoveNext())
                    {
                        replies++;
                    }

                    break;
                }

                if (!await call.ResponseStream.MoveNext())
                {
                    break;
                }

                replies++;
                firstReply.TrySetResult();
            }
        }
        catch (RpcException e)
        {
            return new StreamOutcome("bidi", e.StatusCode, replies);
        }

        return new StreamOutcome("bidi", call.GetStatus().StatusCode, replies);
    }
}
