using System.Text.Json;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

/// <summary>A target is parsed once, when it is read; a registry is read only when the run opens the target.</summary>
public class TargetAddressTests
{
    [Theory]
    [InlineData("file:.lab/servers.txt", TargetKind.File, ".lab/servers.txt")]
    [InlineData("file: /no/such/lab/servers.txt ", TargetKind.File, "/no/such/lab/servers.txt")]
    [InlineData("static:127.0.0.1:5001,127.0.0.1:5002", TargetKind.Static, null)]
    [InlineData("dns:my-service.default.svc.cluster.local:5001", TargetKind.Dns, null)]
    public void A_target_is_parsed_into_its_kind_without_reading_a_registry(string text, TargetKind kind, string? registry)
    {
        var target = TargetAddress.Parse(text);

        Assert.Equal((text, kind, registry), (target.Text, target.Kind, target.RegistryPath));
    }

    [Theory]
    [InlineData("localhost:5001", "target 'localhost:5001' is not one of file:PATH, static:HOST:PORT[,HOST:PORT...] or dns:HOST:PORT")]
    [InlineData("file: ", "names no file")]
    [InlineData("static:127.0.0.1:9,127.0.0.1:9", "item 2: '127.0.0.1:9' is the same server as item 1")]
    public void A_bad_target_is_refused_in_the_balancers_words(string text, string problem)
    {
        Assert.False(TargetAddress.TryParse(text, out _, out var said));
        Assert.Contains(problem, said, StringComparison.Ordinal);
        Assert.Contains(problem, Assert.Throws<BalancerConfigurationException>(() => TargetAddress.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_a_file_target_reads_its_registry_then()
    {
        var registry = Path.GetTempFileName();
        try
        {
            var target = TargetAddress.Registry(registry);
            File.WriteAllLines(registry, ["127.0.0.1:5001", "127.0.0.1:5002"]);

            Assert.Equal($"file:{registry}", target.Text);
            Assert.Equal(2, target.Open().Addresses.Count);
        }
        finally
        {
            File.Delete(registry);
        }
    }

    [Fact]
    public void A_target_is_written_as_its_text_and_read_back_equal()
    {
        var spec = new TargetSpec { Address = TargetAddress.Parse("static:127.0.0.1:5001") };

        var json = JsonSerializer.Serialize(spec, ScenarioJson.Options);

        Assert.Contains("\"address\": \"static:127.0.0.1:5001\"", json, StringComparison.Ordinal);
        Assert.Equal(spec, JsonSerializer.Deserialize<TargetSpec>(json, ScenarioJson.Options));
    }
}
