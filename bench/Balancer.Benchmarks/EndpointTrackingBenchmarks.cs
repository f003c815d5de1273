using BenchmarkDotNet.Attributes;
using Grpc.Core;
using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.Contracts;

namespace GrpcLoadLab.Balancer.Benchmarks;

/// <summary>
/// What the tracking handler does for every attempt besides sending it: find the endpoint's counters by host and
/// port, count the attempt's start and its end. Runs on the registry of a real balanced channel to 4 lab servers.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class EndpointTrackingBenchmarks
{
    private const string Host = "127.0.0.1";
    private const int Instances = 4;

    private InProcessFleet? _fleet;
    private BalancedChannel? _channel;
    private EndpointRegistry _registry = null!;
    private EndpointStats _endpoint = null!;
    private int _port;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _fleet = await InProcessFleet.StartAsync(Instances);
        _channel = BalancedChannelFactory.Create(_fleet.StaticTarget, new BalancerOptions { HealthChecks = false });
        var client = new LoadLab.LoadLabClient(_channel.Channel);
        for (var i = 0; i < 4 * Instances; i++)
        {
            await SetupCall.UnaryAsync(client);
        }

        _registry = _channel.Endpoints;
        _port = _fleet.Ports[0];
        _endpoint = _registry.For(Host, _port);
        if (_endpoint.Snapshot().Succeeded == 0)
        {
            throw new InvalidOperationException("the balanced channel sent no call to the first instance: the registry under test is not a live one");
        }
    }

    /// <summary>The handler's whole per-attempt bookkeeping.</summary>
    [Benchmark(Baseline = true)]
    public void LookUpAndCount()
    {
        var endpoint = _registry.For(Host, _port);
        endpoint.AttemptEnded(endpoint.AttemptStarted(isRetry: false), StatusCode.OK);
    }

    /// <summary>The counters alone, to show what the look-up by host and port adds.</summary>
    [Benchmark]
    public void CountOnly()
    {
        _endpoint.AttemptEnded(_endpoint.AttemptStarted(isRetry: false), StatusCode.OK);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _channel?.Dispose();
        if (_fleet is not null)
        {
            await _fleet.DisposeAsync();
        }
    }
}
