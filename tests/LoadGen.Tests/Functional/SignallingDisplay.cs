using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.Tests.Functional;

/// <summary>A progress display that tells a test when the run's live figures first meet a condition.</summary>
internal sealed class SignallingDisplay(Func<LiveSnapshot, bool> condition) : IProgressDisplay
{
    private readonly TaskCompletionSource _signalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Signalled => _signalled.Task;

    public void Update(LiveSnapshot snapshot)
    {
        if (condition(snapshot))
        {
            _signalled.TrySetResult();
        }
    }

    public void Complete()
    {
    }
}
