using System.CommandLine;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Balancer.Transport;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Hosting;

namespace GrpcLoadLab.Server.Probe;

/// <summary>
/// <c>probe HOST:PORT...</c>: asks running instances for their health and counters, one tab-separated line each
/// (address, health, instance id, in flight, completed, rejected). With <c>--wait</c> it polls until every instance
/// is ready or the time is up. Exit code 0 when all are ready, 1 otherwise. The fleet script uses it, so that it
/// needs nothing beyond bash and the .NET SDK. Any gRPC server can be probed (<c>servers.sh start --command</c>):
/// one without grpc.health.v1 is ready when it answers a reflection list, or else when it answers gRPC at all; its
/// counters are unknown unless it is the lab's. With <c>--ca-file</c> (and <c>--cert-file</c>, <c>--key-file</c> for
/// servers that require a client certificate) it speaks TLS, as the load generator does.
/// </summary>
public static class InstanceProbe
{
    /// <summary>
    /// How long one call of the probe may take. A probe is a fresh process whose first call also connects and compiles
    /// its code: on a busy 2-core machine that took more than 2 s, and `status` read healthy instances as
    /// DEADLINEEXCEEDED. An instance that answers nothing in this long is hung, not busy.
    /// </summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>An hour covers the slowest start; more would only hide a fleet that never comes up.</summary>
    public static readonly DurationRange WaitRange = new("--wait", TimeSpan.Zero, TimeSpan.FromHours(1));

    public static Command CreateCommand()
    {
        var addresses = new Argument<string[]>("address")
        {
            Description = "Instances to probe, as host:port.",
            Arity = ArgumentArity.OneOrMore,
        };
        var wait = ServerCommandLine.DurationOption(WaitRange, "Poll until every instance is SERVING, for at most this long.", TimeSpan.Zero);
        var caFile = new Option<string?>("--ca-file") { Description = "The instances speak TLS: check their certificates against this PEM CA." };
        var certFile = new Option<string?>("--cert-file") { Description = "With --ca-file: present this PEM client certificate (instances that require one); with --key-file." };
        var keyFile = new Option<string?>("--key-file") { Description = "The PEM private key of --cert-file." };

        var command = new Command("probe", "Print the health and counters of running instances.") { addresses, wait, caFile, certFile, keyFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new TlsSettings { CaFile = parse.GetValue(caFile), CertFile = parse.GetValue(certFile), KeyFile = parse.GetValue(keyFile) };
            if (settings.CaFile is null && settings != new TlsSettings())
            {
                Console.Error.WriteLine("probe: --cert-file and --key-file are for TLS: give --ca-file too");
                return 2;
            }

            ClientTls? tls;
            try
            {
                tls = settings.CaFile is null ? null : settings.Load();
            }
            catch (BalancerConfigurationException e)
            {
                Console.Error.WriteLine($"probe: {e.Message}");
                return 2;
            }

            var targets = parse.GetValue(addresses)!;
            foreach (var target in targets)
            {
                if (!Uri.TryCreate($"http://{target}", UriKind.Absolute, out var uri) || uri.Port <= 0 || uri.PathAndQuery != "/")
                {
                    Console.Error.WriteLine($"probe: '{target}' is not host:port (for example 127.0.0.1:5000)");
                    return 2;
                }
            }

            return await ProbeAsync(targets, tls, parse.GetValue(wait), cancellationToken);
        });
        return command;
    }

    private static async Task<int> ProbeAsync(string[] targets, ClientTls? tls, TimeSpan wait, CancellationToken cancellationToken)
    {
        var channels = targets.Select(t => DirectChannel.Create(t, tls)).ToArray();
        try
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                var results = await Task.WhenAll(channels.Select(c => ProbeOneAsync(c, cancellationToken)));
                var allReady = results.All(r => r.IsReady);
                if (allReady || Stopwatch.GetTimestamp() >= deadline)
                {
                    for (var i = 0; i < targets.Length; i++)
                    {
                        Console.WriteLine($"{targets[i]}\t{results[i]}");
                    }

                    return allReady ? 0 : 1;
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    private static async Task<ProbeResult> ProbeOneAsync(GrpcChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            HealthCheckResponse health;
            try
            {
                health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(
                    new HealthCheckRequest(), deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
            {
                // It answered, so it speaks gRPC; without a health service, a reflection list is the best sign left.
                var lists = await ReflectionListing.AnswersAsync(channel, CallTimeout, cancellationToken);
                return new ProbeResult(lists ? ProbeResult.AnswersReflection : ProbeResult.AnswersGrpc, Stats: null);
            }

            return ProbeResult.From(health.Status, await GetStatsAsync(channel, cancellationToken));
        }
        catch (RpcException e)
        {
            return ProbeResult.Down(e.StatusCode == StatusCode.Unavailable ? "DOWN" : e.StatusCode.ToString().ToUpperInvariant());
        }
    }

    /// <summary>The lab server's counters; null from any other server.</summary>
    private static async Task<InstanceStats?> GetStatsAsync(GrpcChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            return await new LoadLab.LoadLabClient(channel).GetStatsAsync(
                new StatsRequest(), deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            return null;
        }
    }
}
