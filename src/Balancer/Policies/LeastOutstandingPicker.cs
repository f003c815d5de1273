using System.Net;
using Grpc.Net.Client.Balancer;
using GrpcLoadLab.Balancer.Tracking;

namespace GrpcLoadLab.Balancer.Policies;

/// <summary>
/// Power of two choices: draws two different ready endpoints at random and picks the one with fewer attempts in
/// flight. Two random draws keep the cost constant and avoid the herd that "always the least loaded" causes when
/// many picks see the same stale counts.
/// </summary>
internal sealed class LeastOutstandingPicker : SubchannelPicker
{
    private readonly Choice[] _choices;

    public LeastOutstandingPicker(IReadOnlyList<Subchannel> ready, EndpointRegistry registry) =>
        _choices = [.. ready.Select(s => new Choice(s, StatsOf(s, registry)))];

    public override PickResult Pick(PickContext context)
    {
        var choices = _choices;
        if (choices.Length == 1)
        {
            return PickResult.ForSubchannel(choices[0].Subchannel);
        }

        var first = Random.Shared.Next(choices.Length);
        var second = Random.Shared.Next(choices.Length - 1);
        if (second >= first)
        {
            second++;
        }

        var a = choices[first];
        var b = choices[second];
        return PickResult.ForSubchannel(a.Stats.InFlight <= b.Stats.InFlight ? a.Subchannel : b.Subchannel);
    }

    private static EndpointStats StatsOf(Subchannel subchannel, EndpointRegistry registry)
    {
        var endPoint = subchannel.CurrentAddress?.EndPoint
            ?? throw new InvalidOperationException("A ready subchannel has an address.");
        return registry.For(endPoint.Host, endPoint.Port);
    }

    private readonly record struct Choice(Subchannel Subchannel, EndpointStats Stats);
}
