using GrpcLoadLab.Balancer;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

/// <summary>The command line and the scenario file spell enum values the same way, through the same code.</summary>
public class SpellingsTests
{
    [Theory]
    [InlineData("round_robin", BalancingPolicy.RoundRobin)]
    [InlineData("pick_first", BalancingPolicy.PickFirst)]
    [InlineData(" least_outstanding ", BalancingPolicy.LeastOutstanding)]
    public void A_policy_name_parses(string text, BalancingPolicy expected)
    {
        Assert.True(Spellings.Policy.TryParse(text, out var policy));
        Assert.Equal(expected, policy);
        Assert.Equal(expected, ScenarioLoader.Parse(Json(text.Trim()), "p.json").Target.Policy);
    }

    [Theory]
    [InlineData("RoundRobin")]
    [InlineData("round-robin")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_not_a_policy(string? text)
    {
        Assert.False(Spellings.Policy.TryParse(text, out _));
    }

    [Fact]
    public void The_names_are_listed_for_messages()
    {
        Assert.Equal(["round_robin", "pick_first", "least_outstanding"], Spellings.Policy.Names);
        Assert.Equal("round_robin, pick_first or least_outstanding", Spellings.Policy.Choices);
        Assert.Equal(["none", "retry", "hedging"], Spellings.Retry.Names);
        Assert.Equal(["unary", "server-stream", "client-stream", "bidi"], Spellings.CallKind.Names);
        Assert.Equal("least_outstanding", Spellings.Policy.Name(BalancingPolicy.LeastOutstanding));
    }

    private static string Json(string policy) =>
        $$"""{"name": "p", "target": {"policy": "{{policy}}"}, "phases": [{"type": "pause", "duration": "1s"}, {"type": "poisson", "rate": 1, "duration": "1s"}]}""";
}
