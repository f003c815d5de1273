namespace GrpcLoadLab.Balancer.Tests.Unit;

public class BalancerOptionsTests
{
    private static readonly Dictionary<string, (Action<BalancerOptions> Break, string Message)> Breakages = new()
    {
        ["no connections"] = (o => o.MaxConnectionsPerEndpoint = 0, "connections per endpoint"),
        ["too many attempts"] = (o => o.MaxAttempts = 6, "retry attempts must be 2-5"),
        ["no retry methods"] = (o => o.RetryMethods.Clear(), "at least one method"),
        ["zero token ratio"] = (o => o.RetryThrottlingTokenRatio = 0, "token ratio"),
        ["negative hedging delay"] = (o => o.HedgingDelay = TimeSpan.FromSeconds(-1), "hedging delay"),
    };

    public static TheoryData<string> Cases => [.. Breakages.Keys];

    [Fact]
    public void The_defaults_are_valid() => new BalancerOptions().Validate();

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_option_out_of_range_is_refused_with_a_message_naming_it(string breakage)
    {
        var options = new BalancerOptions { Retry = RetryMode.Retry };
        var (breakIt, message) = Breakages[breakage];
        breakIt(options);

        var error = Assert.Throws<BalancerConfigurationException>(options.Validate);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_retry_method_is_refused_when_the_channel_is_created()
    {
        var options = new BalancerOptions { Retry = RetryMode.Retry };
        options.RetryMethods.Add("lab.v1.LoadLab/");

        var error = Assert.Throws<BalancerConfigurationException>(() => BalancedChannelFactory.Create("static:127.0.0.1:5001", options));
        Assert.Contains("'lab.v1.LoadLab/'", error.Message, StringComparison.Ordinal);
    }
}
