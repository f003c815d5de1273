namespace GrpcLoadLab.Balancer.Tracking;

/// <summary>
/// Whether the calls a caller starts are warm-up ones: their attempts load the servers like any other, and each
/// endpoint counts them apart, so that a reading can leave them out (<see cref="EndpointRegistry.Snapshot"/>). The
/// mark follows the caller's async flow, as an <see cref="AsyncLocal{T}"/> does, into every attempt of those calls
/// (retries and hedges too); a thread or task that starts its calls in a scope marks them all at no cost a call.
/// </summary>
public readonly struct WarmupScope : IDisposable
{
    private static readonly AsyncLocal<bool> Current = new();

    private readonly bool _outer;

    private WarmupScope(bool outer) => _outer = outer;

    /// <summary>Whether the calls started here now are warm-up ones.</summary>
    public static bool IsWarmup => Current.Value;

    /// <summary>Marks the calls this flow starts from now on as warm-up ones or not, until the scope is disposed.</summary>
    public static WarmupScope Enter(bool warmup)
    {
        var scope = new WarmupScope(Current.Value);
        Current.Value = warmup;
        return scope;
    }

    public void Dispose() => Current.Value = _outer;
}
