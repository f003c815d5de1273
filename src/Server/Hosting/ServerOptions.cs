using System.Globalization;
using System.Net;
using GrpcLoadLab.Common;

namespace GrpcLoadLab.Server.Hosting;

/// <summary>
/// Settings of one server instance, with the defaults a lab run wants. Validated once, at start-up.
/// </summary>
public sealed class ServerOptions
{
    /// <summary>The port used when neither <c>--port</c> nor <c>LAB_PORT</c> names one.</summary>
    public const int DefaultPort = 5000;

    /// <summary>4 MiB: gRPC's own default receive limit, on servers and clients alike.</summary>
    public const int DefaultMessageSize = 4 * 1024 * 1024;

    /// <summary>See <see cref="MaxConcurrentConnections"/>.</summary>
    public const int DefaultMaxConcurrentConnections = 1_000;

    /// <summary>Kestrel's own default, see <see cref="MaxStreamsPerConnection"/>.</summary>
    public const int DefaultMaxStreamsPerConnection = 100;

    /// <summary>See <see cref="MaxWork"/>.</summary>
    public static readonly TimeSpan DefaultMaxWork = TimeSpan.FromSeconds(60);

    // Every number's range. The upper bounds are far beyond any lab run, and keep each value within what Kestrel,
    // timers and the host accept (a 1e30 s timeout once overflowed at start).
    public static readonly WholeNumberRange PortRange = new("--port", 0, IPEndPoint.MaxPort, "(0 = any free port)");
    public static readonly WholeNumberRange CapacityRange = new("--capacity", 0, 1_000_000, "calls (0 = unlimited)");
    public static readonly WholeNumberRange QueueRange = new("--queue", 0, 1_000_000, "calls");
    public static readonly WholeNumberRange ReceiveSizeRange = new("--max-receive-message-size", 1, 256 * 1024 * 1024, "bytes");
    public static readonly WholeNumberRange SendSizeRange = new("--max-send-message-size", 1, 256 * 1024 * 1024, "bytes");
    public static readonly WholeNumberRange ConnectionsRange = new("--max-concurrent-connections", 1, 1_000_000, "connections");
    public static readonly WholeNumberRange StreamsRange = new("--max-streams-per-connection", 1, 10_000, "streams");
    public static readonly DurationRange DrainDelayRange = new("--drain-delay", TimeSpan.Zero, TimeSpan.FromHours(1));
    public static readonly DurationRange DrainTimeoutRange = new("--drain-timeout", TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
    public static readonly DurationRange MaxWorkRange = new("--max-work", TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
    public static readonly WholeNumberRange PrometheusPortRange = new("--prometheus", 0, IPEndPoint.MaxPort, "(a port; 0 = any free port)");
    public static readonly DurationRange OtlpIntervalRange = new(OtlpExportRules.IntervalOption, OtlpExportRules.ShortestInterval, OtlpExportRules.LongestInterval);

    /// <summary>See <see cref="OtlpInterval"/>.</summary>
    public static readonly TimeSpan DefaultOtlpInterval = OtlpExportRules.DefaultInterval;

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

    /// <summary>
    /// Lets SetFault put behaviour faults (extra delay, failed calls) in force. Default: false, so that no client that
    /// reaches the port can make the instance fail; failure experiments turn it on.
    /// </summary>
    public bool AllowFaults { get; set; }

    /// <summary>
    /// The largest request message accepted, in bytes; a larger one is refused with RESOURCE_EXHAUSTED before it is
    /// buffered whole. Default: 4 MiB, gRPC's default, set here explicitly.
    /// </summary>
    public int MaxReceiveMessageSize { get; set; } = DefaultMessageSize;

    /// <summary>
    /// The largest reply message sent, in bytes. Default: 4 MiB rather than gRPC's unlimited, because a reply's size is
    /// the client's to choose (reply_size): unlimited would let one request make the server allocate and send
    /// gigabytes. 4 MiB is also what a default gRPC client accepts.
    /// </summary>
    public int MaxSendMessageSize { get; set; } = DefaultMessageSize;

    /// <summary>
    /// Open connections Kestrel accepts at once; further ones are closed at once. Default: 1,000 (Kestrel's is
    /// unlimited). A load generator opens one connection per 100 concurrent calls per instance, and the balancer one
    /// more per instance for its health watch, so a few dozen cover the largest runs; 1,000 leaves ample room for
    /// several generators and tools while bounding the memory and file descriptors a flood of idle connections takes.
    /// </summary>
    public int MaxConcurrentConnections { get; set; } = DefaultMaxConcurrentConnections;

    /// <summary>
    /// Concurrent HTTP/2 streams (calls) per connection. Default: 100, Kestrel's, set explicitly: a client then opens
    /// more connections under high concurrency instead of queueing calls unseen. Kestrel's rapid-reset guard tracks
    /// at most max(2 × this, 100) streams per connection.
    /// </summary>
    public int MaxStreamsPerConnection { get; set; } = DefaultMaxStreamsPerConnection;

    /// <summary>
    /// The most simulated work one request may ask for: its awaited delay plus its CPU spin, and a server stream's CPU in
    /// all (reply_count × cpu_micros). More is refused with INVALID_ARGUMENT before any work, so that no call can burn a
    /// core for hours or outlast a timer's range. Default: 60 s.
    /// </summary>
    public TimeSpan MaxWork { get; set; } = DefaultMaxWork;

    /// <summary>
    /// A port to serve a Prometheus scrape endpoint on (<c>/metrics</c>, HTTP/1.1, on <see cref="Address"/>), with the
    /// meters of the instance's timeline. Default: null, none. A port of its own, because the gRPC port speaks HTTP/2
    /// with prior knowledge only, and a scrape is HTTP/1.1.
    /// </summary>
    public int? PrometheusPort { get; set; }

    /// <summary>
    /// An OTLP collector to push the meters of the instance's timeline to, over gRPC (e.g. http://127.0.0.1:4317).
    /// Default: null, no export.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>How often the OTLP export sends; only with <see cref="OtlpEndpoint"/>. Default: null, 10 s.</summary>
    public TimeSpan? OtlpInterval { get; set; }

    /// <summary>
    /// The PEM certificate the instance serves TLS with (HTTPS with HTTP/2), with <see cref="TlsKeyFile"/>. Default:
    /// null, plaintext HTTP/2 (h2c).
    /// </summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>The PEM private key of <see cref="TlsCertificateFile"/>, unencrypted.</summary>
    public string? TlsKeyFile { get; set; }

    /// <summary>With TLS: the PEM CA every client's certificate must chain to; clients without one are refused (mTLS). Default: null, none asked for.</summary>
    public string? ClientCaFile { get; set; }

    /// <summary>Whether the instance serves TLS.</summary>
    public bool UsesTls => TlsCertificateFile is not null;

    /// <summary>Whether any export of the meters is on.</summary>
    public bool ExportsMetrics => PrometheusPort is not null || OtlpEndpoint is not null;

    /// <summary>The queue limit in force: the given one, or the capacity.</summary>
    public int EffectiveQueueLimit => Capacity == 0 ? 0 : QueueLimit ?? Capacity;

    /// <summary>Throws <see cref="ServerOptionsException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        Require(PortRange, Port);
        if (InstanceId is { } id && string.IsNullOrWhiteSpace(id))
        {
            throw new ServerOptionsException("instance id is empty: give a non-empty --instance-id, or leave it out to derive it from the port");
        }

        Require(CapacityRange, Capacity);
        if (QueueLimit is { } queue)
        {
            Require(QueueRange, queue);
        }

        Require(DrainDelayRange, DrainDelay);
        Require(DrainTimeoutRange, DrainTimeout);
        if (DrainDelay >= DrainTimeout)
        {
            throw new ServerOptionsException(
                $"drain delay ({DurationRange.Format(DrainDelay)}) must be shorter than the drain timeout ({DurationRange.Format(DrainTimeout)})");
        }

        Require(MaxWorkRange, MaxWork);
        Require(ReceiveSizeRange, MaxReceiveMessageSize);
        Require(SendSizeRange, MaxSendMessageSize);
        Require(ConnectionsRange, MaxConcurrentConnections);
        Require(StreamsRange, MaxStreamsPerConnection);
        ValidateExports();
        ValidateTls();
    }

    private void ValidateTls()
    {
        if ((TlsCertificateFile is null) != (TlsKeyFile is null))
        {
            throw new ServerOptionsException("--tls-cert and --tls-key go together: give the certificate and its private key");
        }

        if (ClientCaFile is not null && TlsCertificateFile is null)
        {
            throw new ServerOptionsException("--client-ca asks clients for a certificate over TLS: give --tls-cert and --tls-key too");
        }
    }

    private void ValidateExports()
    {
        if (PrometheusPort is { } prometheus)
        {
            Require(PrometheusPortRange, prometheus);
            if (prometheus != 0 && prometheus == Port)
            {
                throw new ServerOptionsException($"--prometheus {prometheus} is the gRPC port too: give the scrape endpoint a port of its own (it speaks HTTP/1.1, the gRPC port HTTP/2 only)");
            }
        }

        if (OtlpEndpoint is { } endpoint && OtlpExportRules.EndpointProblem(endpoint.OriginalString) is { } problem)
        {
            throw new ServerOptionsException(problem);
        }

        if (OtlpInterval is { } interval)
        {
            if (OtlpEndpoint is null)
            {
                throw new ServerOptionsException(OtlpExportRules.IntervalWithoutEndpoint);
            }

            Require(OtlpIntervalRange, interval);
        }
    }

    private static void Require(WholeNumberRange range, int value)
    {
        if (!range.Contains(value))
        {
            throw new ServerOptionsException(range.Refusal(value.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static void Require(DurationRange range, TimeSpan value)
    {
        if (!range.Contains(value))
        {
            throw new ServerOptionsException(range.Refusal(DurationRange.Format(value)));
        }
    }
}
