namespace GrpcLoadLab.LoadGen.Calls;

/// <summary>
/// The message interval's pauses of one stream call. A call that ends during a pause does not wait for it, so the
/// pause's timer would run on for the rest of the interval (an hour at most); disposing stops every one at once.
/// </summary>
internal sealed class MessagePauses(TimeSpan interval, CancellationToken callToken) : IDisposable
{
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(callToken);

    /// <summary>The next pause: it completes when the interval has passed, cancelled if the call's token was.</summary>
    public Task Next() => Task.Delay(interval, _stop.Token);

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
