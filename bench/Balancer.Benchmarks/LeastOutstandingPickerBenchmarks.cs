using BenchmarkDotNet.Attributes;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using GrpcLoadLab.Balancer.Tracking;
using GrpcLoadLab.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcLoadLab.Balancer.Benchmarks;

/// <summary>
/// One <c>least_outstanding</c> pick (two random draws, two in-flight reads), over a picker that a real channel built
/// from real ready subchannels to as many in-process lab servers.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class LeastOutstandingPickerBenchmarks
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly PickContext _context = new();
    private InProcessFleet? _fleet;
    private GrpcChannel? _channel;
    private ServiceProvider? _services;
    private SubchannelPicker _picker = null!;

    [Params(2, 4, 8)]
    public int Subchannels { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _fleet = await InProcessFleet.StartAsync(Subchannels);
        var addresses = _fleet.Ports.Select(p => new BalancerAddress("127.0.0.1", p)).ToArray();
        var recorder = new RecordingBalancerFactory(new EndpointRegistry());
        var services = new ServiceCollection();
        services.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => addresses));
        services.AddSingleton<LoadBalancerFactory>(recorder);
        _services = services.BuildServiceProvider();
        _channel = GrpcChannel.ForAddress("static:///lab", new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
            ServiceProvider = _services,
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new LoadBalancingConfig(RecordingBalancerFactory.PolicyName) } },
        });

        // Calls until every subchannel is ready, so that the picker chooses among all of them.
        var client = new LoadLab.LoadLabClient(_channel);
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (recorder.Latest?.ReadyCount != Subchannels)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"only {recorder.Latest?.ReadyCount ?? 0} of {Subchannels} subchannels became ready within {ReadyTimeout.TotalSeconds}s");
            }

            await SetupCall.UnaryAsync(client);
        }

        _picker = recorder.Latest.Picker;
    }

    [Benchmark]
    public PickResult Pick() => _picker.Pick(_context);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _channel?.Dispose();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_fleet is not null)
        {
            await _fleet.DisposeAsync();
        }
    }
}
