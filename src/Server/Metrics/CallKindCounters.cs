namespace GrpcLoadLab.Server.Metrics;

/// <summary>Lock-free counters of one call kind; read while calls update them.</summary>
public sealed class CallKindCounters
{
    private long _completed;
    private long _failed;
    private long _cancelled;
    private long _messagesReceived;
    private long _messagesSent;

    public long Completed => Volatile.Read(ref _completed);

    public long Failed => Volatile.Read(ref _failed);

    public long Cancelled => Volatile.Read(ref _cancelled);

    public long MessagesReceived => Volatile.Read(ref _messagesReceived);

    public long MessagesSent => Volatile.Read(ref _messagesSent);

    public void MessageReceived() => Interlocked.Increment(ref _messagesReceived);

    public void MessageSent() => Interlocked.Increment(ref _messagesSent);

    public void Ended(CallOutcome outcome)
    {
        switch (outcome)
        {
            case CallOutcome.Completed:
                Interlocked.Increment(ref _completed);
                break;
            case CallOutcome.Failed:
                Interlocked.Increment(ref _failed);
                break;
            case CallOutcome.Cancelled:
                Interlocked.Increment(ref _cancelled);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null);
        }
    }
}
