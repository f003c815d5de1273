namespace GrpcLoadLab.Balancer.Tracking;

/// <summary>
/// Whether the calls a caller starts are warm-up ones: their attempts load the servers like any other, and each
/// endpoint counts them apart, so that a reading can leave them out (<see cref="EndpointRegistry.Snapshot"/>). The
/// mark follows the caller's async flow, as an <see cref="AsyncLocal{T}"/> does, into every attempt of those calls
/// (retries and hedges too), and into any work the flow starts, a background task's calls included: a thread or task
/// that starts its calls in a scope marks them all, and each attempt reads the mark once.
/// </summary>
public readonly struct WarmupScope : IDisposable
{
    private static readonly AsyncLocal<bool> Current = new();

    private readonly bool _outer;
    private readonly bool _inner;

    private WarmupScope(bool outer, bool inner)
    {
        _outer = outer;
        _inner = inner;
    }

    /// <summary>Whether the calls started here now are warm-up ones.</summary>
    public static bool IsWarmup => Current.Value;

    /// <summary>Marks the calls this flow starts from now on as warm-up ones or not, until the scope is disposed.</summary>
    public static WarmupScope Enter(bool warmup)
    {
        var scope = new WarmupScope(Current.Value, warmup);
        // Written only when it changes: a flow that never enters a warm-up keeps its execution context as it was, and
        // its awaits do not restore one.
        if (warmup != scope._outer)
        {
            Current.Value = warmup;
        }

        return scope;
    }

    public void Dispose()
    {
        if (_inner != _outer)
        {
            Current.Value = _outer;
        }
    }
}
