namespace GrpcLoadLab.LoadGen.Terminal;

/// <summary>Shows nothing while a run goes on: a sweep prints one line per run instead of a view per run.</summary>
internal sealed class NoProgressDisplay : IProgressDisplay
{
    public static NoProgressDisplay Instance { get; } = new();

    public void Update(LiveSnapshot snapshot)
    {
    }

    public void Complete()
    {
    }
}
