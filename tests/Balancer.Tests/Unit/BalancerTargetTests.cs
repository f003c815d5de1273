using GrpcLoadLab.Balancer.Targets;

namespace GrpcLoadLab.Balancer.Tests.Unit;

public class BalancerTargetTests
{
    [Fact]
    public void A_file_target_reads_the_registry_and_skips_blanks_and_comments()
    {
        var path = Path.GetTempFileName();
        File.WriteAllLines(path, ["# the fleet", "127.0.0.1:5001", "", "  127.0.0.1:5002  ", "[::1]:5003"]);
        try
        {
            var target = BalancerTarget.Parse($"file:{path}");

            Assert.Equal(TargetKind.File, target.Kind);
            Assert.Equal(path, target.FilePath);
            Assert.Equal(["127.0.0.1:5001", "127.0.0.1:5002", "::1:5003"], target.Addresses.Select(a => $"{a.EndPoint.Host}:{a.EndPoint.Port}"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_static_target_lists_its_addresses()
    {
        var target = BalancerTarget.Parse("static:127.0.0.1:5001, localhost:5002");

        Assert.Equal(TargetKind.Static, target.Kind);
        Assert.Equal(["127.0.0.1:5001", "localhost:5002"], target.Addresses.Select(a => $"{a.EndPoint.Host}:{a.EndPoint.Port}"));
    }

    [Fact]
    public void A_dns_target_names_one_host_and_port()
    {
        var target = BalancerTarget.Parse("dns:lab.default.svc.cluster.local:5001");

        Assert.Equal(TargetKind.Dns, target.Kind);
        Assert.Equal(new Uri("dns:///lab.default.svc.cluster.local:5001"), target.ChannelAddress);
    }

    [Theory]
    [InlineData("127.0.0.1:5001", "is not one of file:PATH")]
    [InlineData("http://127.0.0.1:5001", "is not one of file:PATH")]
    [InlineData("file:", "names no file")]
    [InlineData("file:/no/such/dir/servers.txt", "does not exist")]
    [InlineData("static:", "lists no servers")]
    [InlineData("static:127.0.0.1", "item 1: '127.0.0.1' is not host:port")]
    [InlineData("static:127.0.0.1:5001,127.0.0.1:99999", "item 2: '127.0.0.1:99999' is not host:port")]
    [InlineData("static:local host:5001", "is not host:port")]
    [InlineData("dns:lab", "is not dns:HOST:PORT")]
    public void A_bad_target_is_refused_with_a_message_that_says_what_is_wrong(string text, string expected)
    {
        var error = Assert.Throws<BalancerConfigurationException>(() => BalancerTarget.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing but a comment\n\n")]
    public void An_empty_registry_is_refused(string content)
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, content);
        try
        {
            var error = Assert.Throws<BalancerConfigurationException>(() => BalancerTarget.Parse($"file:{path}"));
            Assert.Contains("lists no servers", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_malformed_registry_line_is_named_by_its_number()
    {
        var path = Path.GetTempFileName();
        File.WriteAllLines(path, ["127.0.0.1:5001", "127.0.0.1:port"]);
        try
        {
            var error = Assert.Throws<BalancerConfigurationException>(() => BalancerTarget.Parse($"file:{path}"));
            Assert.Contains("line 2: '127.0.0.1:port'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("static:127.0.0.1:5001,127.0.0.1:5001", "item 2: '127.0.0.1:5001' is the same server as item 1 ('127.0.0.1:5001')")]
    [InlineData("static:127.0.0.1:5001 , 127.0.0.1:5002,127.0.0.1:5001  ", "item 3: '127.0.0.1:5001' is the same server as item 1")]
    [InlineData("static:localhost:5001,127.0.0.1:5001", "item 2: '127.0.0.1:5001' is the same server as item 1 ('localhost:5001')")]
    [InlineData("static:LOCALHOST:5001,localhost:5001", "item 2: 'localhost:5001' is the same server as item 1 ('LOCALHOST:5001')")]
    [InlineData("static:Lab-A.example:5001,lab-a.EXAMPLE:5001", "item 2: 'lab-a.EXAMPLE:5001' is the same server as item 1")]
    [InlineData("static:[::1]:5001,[0:0:0:0:0:0:0:1]:5001", "item 2: '[0:0:0:0:0:0:0:1]:5001' is the same server as item 1 ('[::1]:5001')")]
    public void A_static_target_that_lists_a_server_twice_in_any_spelling_is_refused_naming_both_items(string text, string expected)
    {
        var error = Assert.Throws<BalancerConfigurationException>(() => BalancerTarget.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.EndsWith("list each server once", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "127.0.0.1:5001", "127.0.0.1:5001" }, "line 2: '127.0.0.1:5001' is the same server as line 1")]
    [InlineData(new[] { "127.0.0.1:5001", "# a comment", "", "127.0.0.1:5001   " }, "line 4: '127.0.0.1:5001' is the same server as line 1")]
    [InlineData(new[] { "localhost:5001", "127.0.0.1:5002", "127.0.0.1:5001" }, "line 3: '127.0.0.1:5001' is the same server as line 1 ('localhost:5001')")]
    public void A_registry_that_lists_a_server_twice_is_refused_naming_both_lines(string[] lines, string expected)
    {
        var path = Path.GetTempFileName();
        File.WriteAllLines(path, lines);
        try
        {
            var error = Assert.Throws<BalancerConfigurationException>(() => BalancerTarget.Parse($"file:{path}"));
            Assert.Contains($"{path} {expected}", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Servers_on_other_ports_or_hosts_are_not_repeats()
    {
        var target = BalancerTarget.Parse("static:127.0.0.1:5001,127.0.0.1:5002,127.0.0.2:5001,[::1]:5001");

        Assert.Equal(4, target.Addresses.Count);
    }
}
