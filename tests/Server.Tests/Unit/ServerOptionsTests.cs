using GrpcLoadLab.Server.Hosting;

namespace GrpcLoadLab.Server.Tests.Unit;

public class ServerOptionsTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(70_000)]
    public void Validate_refuses_a_port_out_of_range(int port) =>
        AssertRefused(new ServerOptions { Port = port }, "port");

    [Fact]
    public void Validate_refuses_a_negative_capacity() =>
        AssertRefused(new ServerOptions { Capacity = -1 }, "capacity");

    [Fact]
    public void Validate_refuses_a_negative_queue_limit() =>
        AssertRefused(new ServerOptions { Capacity = 4, QueueLimit = -1 }, "queue limit");

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_refuses_an_empty_instance_id(string instanceId) =>
        AssertRefused(new ServerOptions { InstanceId = instanceId }, "instance id");

    [Theory]
    [InlineData(5, 5)]
    [InlineData(6, 5)]
    [InlineData(-1, 5)]
    public void Validate_refuses_a_drain_delay_that_is_negative_or_not_shorter_than_the_timeout(int delaySeconds, int timeoutSeconds) =>
        AssertRefused(
            new ServerOptions { DrainDelay = TimeSpan.FromSeconds(delaySeconds), DrainTimeout = TimeSpan.FromSeconds(timeoutSeconds) },
            "drain delay");

    [Fact]
    public void Validate_refuses_a_drain_timeout_of_zero() =>
        AssertRefused(new ServerOptions { DrainDelay = TimeSpan.Zero, DrainTimeout = TimeSpan.Zero }, "drain timeout");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_535)]
    public void Validate_accepts_every_port_in_range_and_zero_for_any(int port) =>
        new ServerOptions { Port = port }.Validate();

    [Theory]
    [InlineData(nameof(ServerOptions.MaxReceiveMessageSize), 0, "max receive message size")]
    [InlineData(nameof(ServerOptions.MaxSendMessageSize), -1, "max send message size")]
    [InlineData(nameof(ServerOptions.MaxConcurrentConnections), 0, "max concurrent connections")]
    [InlineData(nameof(ServerOptions.MaxStreamsPerConnection), 0, "max streams per connection")]
    public void Validate_refuses_a_limit_below_1(string property, int value, string setting)
    {
        var options = new ServerOptions();
        typeof(ServerOptions).GetProperty(property)!.SetValue(options, value);

        AssertRefused(options, setting);
    }

    [Fact]
    public void Validate_accepts_the_defaults() => new ServerOptions().Validate();

    [Fact]
    public void The_defaults_are_off_for_faults_and_set_on_purpose_for_the_limits()
    {
        var options = new ServerOptions();

        Assert.False(options.AllowFaults);
        Assert.Equal(4 * 1024 * 1024, options.MaxReceiveMessageSize);
        Assert.Equal(4 * 1024 * 1024, options.MaxSendMessageSize);
        Assert.Equal(1_000, options.MaxConcurrentConnections);
        Assert.Equal(100, options.MaxStreamsPerConnection);
    }

    [Fact]
    public void Validate_accepts_a_queue_limit_of_zero_and_no_drain_delay() =>
        new ServerOptions { Capacity = 4, QueueLimit = 0, DrainDelay = TimeSpan.Zero }.Validate();

    [Theory]
    [InlineData(0, null, 0)]
    [InlineData(0, 5, 0)]
    [InlineData(8, null, 8)]
    [InlineData(8, 0, 0)]
    [InlineData(8, 3, 3)]
    public void The_queue_limit_in_force_is_the_given_one_else_the_capacity_and_none_when_unlimited(int capacity, int? queueLimit, int expected) =>
        Assert.Equal(expected, new ServerOptions { Capacity = capacity, QueueLimit = queueLimit }.EffectiveQueueLimit);

    private static void AssertRefused(ServerOptions options, string setting)
    {
        var error = Assert.Throws<ServerOptionsException>(options.Validate);
        Assert.Contains(setting, error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
