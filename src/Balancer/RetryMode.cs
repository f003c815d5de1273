namespace GrpcLoadLab.Balancer;

/// <summary>What the channel does when an attempt fails or is slow. Off by default, so scaling runs measure the servers.</summary>
public enum RetryMode
{
    None,

    /// <summary>Retry UNAVAILABLE attempts on another pick, with backoff and gRPC retry throttling.</summary>
    Retry,

    /// <summary>Send another attempt after <see cref="BalancerOptions.HedgingDelay"/> if no reply came; the first reply wins.</summary>
    Hedging,
}
