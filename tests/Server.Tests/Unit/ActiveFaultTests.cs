using Grpc.Core;
using GrpcLoadLab.Server.Faults;

namespace GrpcLoadLab.Server.Tests.Unit;

public class ActiveFaultTests
{
    [Theory]
    [InlineData(0.3, 10)]
    [InlineData(0.29, 100)]
    [InlineData(0.5, 2)]
    [InlineData(0.001, 1_000)]
    public void Failures_are_spread_evenly_every_window_of_calls_holds_the_exact_share(double ratio, int window)
    {
        using var fault = new ActiveFault(Settings(ratio));
        var expected = (int)Math.Round(ratio * window);

        for (var round = 0; round < 100; round++)
        {
            var failed = Enumerable.Range(0, window).Count(_ => fault.ChooseToFail());
            Assert.Equal(expected, failed);
        }
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 1_000)]
    public void A_ratio_of_0_fails_no_call_and_1_fails_every_call(double ratio, int expected)
    {
        using var fault = new ActiveFault(Settings(ratio));

        Assert.Equal(expected, Enumerable.Range(0, 1_000).Count(_ => fault.ChooseToFail()));
    }

    [Fact]
    public void The_failure_status_is_the_chosen_one_and_says_it_was_on_purpose()
    {
        using var fault = new ActiveFault(Settings(0.3) with { FailureStatus = StatusCode.InvalidArgument });

        Assert.Equal(StatusCode.InvalidArgument, fault.Failure.StatusCode);
        Assert.Contains("on purpose", fault.Failure.Detail, StringComparison.Ordinal);
        Assert.Contains("30% of calls fail with InvalidArgument (3)", fault.Failure.Detail, StringComparison.Ordinal);
    }

    private static FaultSettings Settings(double ratio) =>
        new(TimeSpan.Zero, ratio, StatusCode.Unavailable, TimeSpan.Zero);
}
