namespace GrpcLoadLab.Balancer.Health;

/// <summary>What an endpoint's health watch last learned.</summary>
internal enum EndpointHealth
{
    /// <summary>No answer yet.</summary>
    Unknown,
    Serving,

    /// <summary>NOT_SERVING (draining), no answer, or the watch was lost (the instance went away).</summary>
    NotServing,
}
