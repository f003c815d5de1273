using System.Net;

namespace GrpcLoadLab.Server.Hosting;

/// <summary>
/// Settings of one server instance, with the defaults a lab run wants. Validated once, at start-up.
/// </summary>
public sealed class ServerOptions
{
    /// <summary>The port used when neither <c>--port</c> nor <c>LAB_PORT</c> names one.</summary>
    public const int DefaultPort = 5000;

    /// <summary>Address to listen on. Default: 127.0.0.1, so that nothing outside this machine can reach the lab.</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>TCP port for h2c. 0 picks a free port (tests). Default: <see cref="DefaultPort"/>.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The id named in every reply. Default: <c>server-PORT</c>, from the port actually bound.</summary>
    public string? InstanceId { get; set; }

    /// <summary>Maximum calls doing work at once. Default: 0, unlimited.</summary>
    public int Capacity { get; set; }

    /// <summary>
    /// Calls that may wait for a capacity slot before further calls are rejected with RESOURCE_EXHAUSTED.
    /// Default: null, the same as <see cref="Capacity"/>. Ignored when the capacity is unlimited.
    /// </summary>
    public int? QueueLimit { get; set; }

    /// <summary>
    /// How long the instance keeps serving after it reports NOT_SERVING on SIGTERM, so that clients watching its
    /// health move away before it refuses new calls. Default: 1 s.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest a graceful stop may take in all; calls still running then are aborted. Default: 10 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The queue limit in force: the given one, or the capacity.</summary>
    public int EffectiveQueueLimit => Capacity == 0 ? 0 : QueueLimit ?? Capacity;

    /// <summary>Throws <see cref="ServerOptionsException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        if (Port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new ServerOptionsException($"port {Port} is out of range: use 1-65535 (or 0 for any free port)");
        }

        if (InstanceId is { } id && string.IsNullOrWhiteSpace(id))
        {
            throw new ServerOptionsException("instance id is empty: give a non-empty --instance-id, or leave it out to derive it from the port");
        }

        if (Capacity < 0)
        {
            throw new ServerOptionsException($"capacity {Capacity} is negative: use 0 for unlimited, or a positive number of concurrent calls");
        }

        if (QueueLimit < 0)
        {
            throw new ServerOptionsException($"queue limit {QueueLimit} is negative: use 0 to reject as soon as the capacity is full");
        }

        if (DrainDelay < TimeSpan.Zero || DrainTimeout <= TimeSpan.Zero)
        {
            throw new ServerOptionsException("drain delay must be 0 or more and drain timeout more than 0 (e.g. --drain-delay 1s --drain-timeout 10s)");
        }

        if (DrainDelay >= DrainTimeout)
        {
            throw new ServerOptionsException($"drain delay ({DrainDelay.TotalSeconds}s) must be shorter than the drain timeout ({DrainTimeout.TotalSeconds}s)");
        }
    }
}
