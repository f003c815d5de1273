namespace GrpcLoadLab.Balancer;

/// <summary>How each call chooses the instance that serves it.</summary>
public enum BalancingPolicy
{
    /// <summary>Each call goes to the next ready instance in turn (per call, not per connection). The lab's default.</summary>
    RoundRobin,

    /// <summary>Every call goes to the first ready instance: the "no horizontal scaling" baseline.</summary>
    PickFirst,

    /// <summary>
    /// Power of two choices: of two random ready instances, the one with fewer calls in flight; a streaming call
    /// counts until the stream ends.
    /// </summary>
    LeastOutstanding,
}
