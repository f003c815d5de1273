using Grpc.Net.Client.Balancer;
using GrpcLoadLab.Balancer.Policies;
using GrpcLoadLab.Balancer.Tracking;

namespace GrpcLoadLab.Balancer.Benchmarks;

/// <summary>
/// A policy that builds the same <see cref="LeastOutstandingPicker"/> as <c>least_outstanding</c> and keeps the
/// latest one: grpc-dotnet does not expose a channel's current picker, and its <see cref="Subchannel"/> has no public
/// constructor, so this is how a benchmark gets a picker over real ready subchannels. Registered in the benchmark only.
/// </summary>
internal sealed class RecordingBalancerFactory(EndpointRegistry registry) : LoadBalancerFactory
{
    public const string PolicyName = "bench_recording";

    private volatile RecordedPicker? _latest;

    public override string Name => PolicyName;

    /// <summary>The picker the channel uses now, with the number of ready subchannels it was built from.</summary>
    public RecordedPicker? Latest => _latest;

    public override LoadBalancer Create(LoadBalancerOptions options) =>
        new RecordingBalancer(options.Controller, options.LoggerFactory, ready =>
        {
            var picker = new LeastOutstandingPicker(ready, registry);
            _latest = new RecordedPicker(picker, ready.Count);
            return picker;
        });
}
