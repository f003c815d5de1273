using GrpcLoadLab.Balancer.Transport;
using Microsoft.Extensions.Logging;

namespace GrpcLoadLab.Balancer;

/// <summary>
/// Settings of a balanced channel, with documented defaults for a lab on one machine. Validated once, when the
/// channel is created.
/// </summary>
public sealed class BalancerOptions
{
    /// <summary>How calls choose an instance. Default: <see cref="BalancingPolicy.RoundRobin"/>.</summary>
    public BalancingPolicy Policy { get; set; } = BalancingPolicy.RoundRobin;

    /// <summary>
    /// Most HTTP/2 connections to one instance. Each carries as many concurrent calls as the server allows (100 on
    /// Kestrel); beyond that another connection opens, so calls do not queue unseen in the client. Default: unlimited.
    /// </summary>
    public int MaxConnectionsPerEndpoint { get; set; } = int.MaxValue;

    /// <summary>
    /// TLS of every connection, the health watches' too (<see cref="TlsSettings.Load"/>). Default: null, plaintext
    /// HTTP/2 (h2c).
    /// </summary>
    public ClientTls? Tls { get; set; }

    /// <summary>Watch each instance's grpc.health.v1 status and keep only SERVING ones in rotation. Default: on.</summary>
    public bool HealthChecks { get; set; } = true;

    /// <summary>The health service name to watch; "" is the whole server. Default: "".</summary>
    public string HealthService { get; set; } = string.Empty;

    /// <summary>Pause before a lost health watch is tried again (a stopped instance, a restart). Default: 250 ms.</summary>
    public TimeSpan HealthRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a <c>file:</c> registry is read again. Default: 1 s.</summary>
    public TimeSpan FileRefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a <c>dns:</c> name is resolved again (grpc-dotnet waits at least 15 s between). Default: 30 s.</summary>
    public TimeSpan DnsRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest wait between reconnect attempts to an instance that went away. grpc-dotnet's default is 120 s; on
    /// loopback a refused connection costs nothing, and a restarted instance should get its share back at once.
    /// Default: 1 s.
    /// </summary>
    public TimeSpan MaxReconnectBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a connection attempt may take. Default: 2 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries or hedging for <see cref="RetryMethods"/>. Default: <see cref="RetryMode.None"/>.</summary>
    public RetryMode Retry { get; set; } = RetryMode.None;

    /// <summary>
    /// The methods retries or hedging apply to, as <c>package.Service/Method</c> or <c>package.Service</c>: idempotent
    /// ones only. Default: the lab's <c>lab.v1.LoadLab/Unary</c>.
    /// </summary>
    public IList<string> RetryMethods { get; } = ["lab.v1.LoadLab/Unary"];

    /// <summary>Attempts per call, the first included (grpc-dotnet allows at most 5). Default: 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Backoff before the first retry; each next one grows 2x up to <see cref="RetryMaxBackoff"/>. Default: 50 ms.</summary>
    public TimeSpan RetryInitialBackoff { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Default: 500 ms.</summary>
    public TimeSpan RetryMaxBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Hedging: how long to wait for a reply before sending the next attempt. Default: 50 ms.</summary>
    public TimeSpan HedgingDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// gRPC retry throttling: a failed attempt costs a token, a success earns <see cref="RetryThrottlingTokenRatio"/>;
    /// below half of <see cref="RetryThrottlingMaxTokens"/> no retries or hedges are sent, so a failing fleet sees no
    /// retry storm. Defaults: 100 tokens — the calls in flight on an instance that dies all fail at once, and gRPC's
    /// example of 10 would stop retrying them after five — and 0.5 per success (retries go on while under a third of
    /// attempts fail).
    /// </summary>
    public int RetryThrottlingMaxTokens { get; set; } = 100;

    /// <inheritdoc cref="RetryThrottlingMaxTokens"/>
    public double RetryThrottlingTokenRatio { get; set; } = 0.5;

    /// <summary>Logs of the channel and the balancer (grpc-dotnet's own). Default: none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Throws <see cref="BalancerConfigurationException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Require(MaxConnectionsPerEndpoint >= 1, "connections per endpoint must be at least 1");
        Require(HealthRetryDelay > TimeSpan.Zero, "the health retry delay must be more than 0");
        Require(FileRefreshInterval > TimeSpan.Zero, "the file refresh interval must be more than 0 (e.g. 1s)");
        Require(DnsRefreshInterval > TimeSpan.Zero, "the DNS refresh interval must be more than 0 (e.g. 30s)");
        Require(MaxReconnectBackoff > TimeSpan.Zero && ConnectTimeout > TimeSpan.Zero, "reconnect backoff and connect timeout must be more than 0");
        if (Retry == RetryMode.None)
        {
            return;
        }

        Require(MaxAttempts is >= 2 and <= 5, $"retry attempts must be 2-5 (the first attempt included), not {MaxAttempts}");
        Require(RetryMethods.Count > 0, "retries need at least one method name, e.g. lab.v1.LoadLab/Unary");
        Require(RetryInitialBackoff > TimeSpan.Zero && RetryMaxBackoff >= RetryInitialBackoff, "retry backoff must be more than 0, and the maximum at least the initial one");
        Require(HedgingDelay >= TimeSpan.Zero, "the hedging delay must be 0 or more");
        Require(RetryThrottlingMaxTokens is > 0 and <= 1000, "retry throttling tokens must be 1-1000");
        Require(RetryThrottlingTokenRatio is > 0 and <= 1, "the retry throttling token ratio must be more than 0 and at most 1");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new BalancerConfigurationException(message);
        }
    }
}
