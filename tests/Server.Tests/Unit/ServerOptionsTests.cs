using GrpcLoadLab.Server.Hosting;

namespace GrpcLoadLab.Server.Tests.Unit;

public class ServerOptionsTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(70_000)]
    public void Validate_refuses_a_port_out_of_range(int port) =>
        AssertRefused(new ServerOptions { Port = port }, "--port");

    [Fact]
    public void Validate_refuses_a_negative_capacity() =>
        AssertRefused(new ServerOptions { Capacity = -1 }, "--capacity -1 is out of range: give 0-1000000 calls (0 = unlimited)");

    [Fact]
    public void Validate_refuses_a_negative_queue_limit() =>
        AssertRefused(new ServerOptions { Capacity = 4, QueueLimit = -1 }, "--queue -1 is out of range");

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_refuses_an_empty_instance_id(string instanceId) =>
        AssertRefused(new ServerOptions { InstanceId = instanceId }, "instance id");

    [Theory]
    [InlineData(5, 5, "drain delay (5s) must be shorter than the drain timeout (5s)")]
    [InlineData(6, 5, "drain delay (6s) must be shorter")]
    [InlineData(-1, 5, "--drain-delay '-1s' is not a duration from 0s to 1h")]
    [InlineData(0, 3601, "--drain-timeout '3601s' is not a duration from 1ms to 1h")]
    [InlineData(3601, 3600, "--drain-delay '3601s' is not a duration from 0s to 1h")]
    public void Validate_refuses_a_drain_delay_or_timeout_out_of_range_or_a_delay_not_shorter_than_the_timeout(int delaySeconds, int timeoutSeconds, string refusal) =>
        AssertRefused(
            new ServerOptions { DrainDelay = TimeSpan.FromSeconds(delaySeconds), DrainTimeout = TimeSpan.FromSeconds(timeoutSeconds) },
            refusal);

    [Fact]
    public void Validate_refuses_a_drain_timeout_of_zero() =>
        AssertRefused(new ServerOptions { DrainDelay = TimeSpan.Zero, DrainTimeout = TimeSpan.Zero }, "--drain-timeout '0s' is not a duration from 1ms to 1h");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_535)]
    public void Validate_accepts_every_port_in_range_and_zero_for_any(int port) =>
        new ServerOptions { Port = port }.Validate();

    [Theory]
    [InlineData(nameof(ServerOptions.MaxReceiveMessageSize), 0, "--max-receive-message-size 0 is out of range: give 1-268435456 bytes")]
    [InlineData(nameof(ServerOptions.MaxReceiveMessageSize), int.MaxValue, "--max-receive-message-size 2147483647 is out of range")]
    [InlineData(nameof(ServerOptions.MaxSendMessageSize), -1, "--max-send-message-size -1 is out of range")]
    [InlineData(nameof(ServerOptions.MaxConcurrentConnections), 0, "--max-concurrent-connections 0 is out of range: give 1-1000000 connections")]
    [InlineData(nameof(ServerOptions.MaxConcurrentConnections), 1_000_001, "--max-concurrent-connections 1000001 is out of range")]
    [InlineData(nameof(ServerOptions.MaxStreamsPerConnection), 0, "--max-streams-per-connection 0 is out of range: give 1-10000 streams")]
    [InlineData(nameof(ServerOptions.MaxStreamsPerConnection), int.MaxValue, "--max-streams-per-connection 2147483647 is out of range")]
    [InlineData(nameof(ServerOptions.Capacity), 1_000_001, "--capacity 1000001 is out of range")]
    [InlineData(nameof(ServerOptions.Capacity), int.MinValue, "--capacity -2147483648 is out of range")]
    public void Validate_refuses_a_number_out_of_its_range(string property, int value, string setting)
    {
        var options = new ServerOptions();
        typeof(ServerOptions).GetProperty(property)!.SetValue(options, value);

        AssertRefused(options, setting);
    }

    [Theory]
    [InlineData(0, "--max-work '0s' is not a duration from 1ms to 1h")]
    [InlineData(3601, "--max-work '3601s' is not a duration from 1ms to 1h")]
    public void Validate_refuses_a_work_cap_out_of_range(int seconds, string refusal) =>
        AssertRefused(new ServerOptions { MaxWork = TimeSpan.FromSeconds(seconds) }, refusal);

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

    [Theory]
    [InlineData(5001, 5001, "--prometheus 5001 is the gRPC port too")]
    [InlineData(5001, 70000, "--prometheus 70000 is out of range: give 0-65535")]
    [InlineData(5001, -1, "--prometheus -1 is out of range")]
    public void A_scrape_port_must_be_a_port_of_its_own(int port, int prometheus, string refusal) =>
        AssertRefused(new ServerOptions { Port = port, PrometheusPort = prometheus }, refusal);

    [Theory]
    [InlineData("collector:4317")]
    [InlineData("ftp://127.0.0.1:4317")]
    [InlineData("/var/run/otlp")]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://127.0.0.1:4317/v1/metrics")]
    [InlineData("http://127.0.0.1:4317?tenant=a")]
    [InlineData("http://user:secret@127.0.0.1:4317")]
    public void An_OTLP_endpoint_must_be_an_http_or_https_address(string endpoint) =>
        AssertRefused(new ServerOptions { OtlpEndpoint = new Uri(endpoint, UriKind.RelativeOrAbsolute) }, $"--otlp-endpoint '{endpoint}' is not an OTLP collector's address");

    [Fact]
    public void An_OTLP_interval_needs_an_endpoint_and_its_range()
    {
        AssertRefused(new ServerOptions { OtlpInterval = TimeSpan.FromSeconds(1) }, "--otlp-interval needs --otlp-endpoint");
        AssertRefused(
            new ServerOptions { OtlpEndpoint = new Uri("http://127.0.0.1:4317"), OtlpInterval = TimeSpan.FromMilliseconds(10) },
            "--otlp-interval '10ms' is not a duration from 100ms to 1h");
    }

    [Fact]
    public void Exports_are_off_by_default_and_on_with_either_flag()
    {
        Assert.False(new ServerOptions().ExportsMetrics);
        Assert.True(new ServerOptions { PrometheusPort = 0, Port = 0 }.ExportsMetrics);
        new ServerOptions { PrometheusPort = 0, Port = 0 }.Validate();
        new ServerOptions { OtlpEndpoint = new Uri("https://collector.example:4317"), OtlpInterval = TimeSpan.FromMinutes(1) }.Validate();
    }

    private static void AssertRefused(ServerOptions options, string setting)
    {
        var error = Assert.Throws<ServerOptionsException>(options.Validate);
        Assert.Contains(setting, error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
