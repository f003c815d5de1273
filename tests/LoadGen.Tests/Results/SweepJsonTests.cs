using System.Text.Json;
using System.Text.Json.Nodes;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Sweeps;

namespace GrpcLoadLab.LoadGen.Tests.Results;

/// <summary><c>sweep.json</c>: written in the scenario's JSON form and read back whole.</summary>
public class SweepJsonTests
{
    private static readonly SweepSpec Spec = SweepLoader.Parse(
        """
        {
          "$schema": "./sweep.schema.json",
          "name": "demo",
          "description": "d",
          "scenario": "../unary-closed.json",
          "profiles": [{ "name": "io", "delay": "20ms", "capacity": 8, "queue": 128 }, { "name": "cpu", "cpu": "2ms", "pin": true }],
          "policies": ["pick_first"],
          "instances": [1, 2],
          "concurrency": [1, 16],
          "perInstance": true,
          "warmup": "1s",
          "duration": "3s"
        }
        """,
        "demo.json");

    [Fact]
    public void A_sweep_is_read_back_as_written()
    {
        var folder = Directory.CreateTempSubdirectory("loadgen-sweep-");
        try
        {
            var result = Result(partialReason: "interrupted");

            var path = SweepJson.Write(result, folder.FullName);
            var read = SweepJson.Read(path);

            Assert.Equal(Path.Combine(folder.FullName, "sweep.json"), path);
            Assert.Equal(["sweep.json"], Directory.GetFiles(folder.FullName).Select(Path.GetFileName));
            Assert.Equal(("grpc-load-lab/sweep", 1, "demo", true, "interrupted"), (read.Schema, read.Version, read.Name, read.Partial, read.PartialReason));
            Assert.Equal((result.StartedAt, result.EndedAt, 2), (read.StartedAt, read.EndedAt, read.ProcessorCount));
            Assert.Equal(result.Cells, read.Cells);
            Assert.Equal(result.Sweep.Profiles!, read.Sweep.Profiles!);
            Assert.Equal([BalancingPolicy.PickFirst], read.Sweep.Policies!);
            Assert.Equal([1, 2], read.Sweep.Instances);
            Assert.Equal([1, 16], read.Sweep.Concurrency!);
            Assert.True(read.Sweep.PerInstance);
            Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3), 5301), (read.Sweep.Warmup, read.Sweep.FleetWarmup, read.Sweep.Duration, read.Sweep.BasePort));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_file_writes_durations_and_policies_as_a_sweep_file_does_and_no_schema_key()
    {
        var folder = Directory.CreateTempSubdirectory("loadgen-sweep-");
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(SweepJson.Write(Result(partialReason: null), folder.FullName)))!;

            var sweep = json["sweep"]!;
            Assert.Equal("1s", (string?)sweep["warmup"]);
            Assert.Equal("20ms", (string?)sweep["profiles"]![0]!["delay"]);
            Assert.Equal("pick_first", (string?)sweep["policies"]![0]);
            Assert.Null(sweep["$schema"]);
            Assert.False(json.AsObject().ContainsKey("$schema"));
            Assert.Null((string?)json["partialReason"]);
            // A cell's load in words is derived, not stored.
            Assert.Null(json["cells"]![0]!["loadText"]);
            Assert.Equal("io-n1-c1", (string?)json["cells"]![0]!["runFolder"]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_sweep_written_before_fresh_fleets_were_recorded_reads_with_none()
    {
        var folder = Directory.CreateTempSubdirectory("loadgen-sweep-");
        try
        {
            var result = Result(partialReason: null);
            var json = JsonNode.Parse(File.ReadAllText(SweepJson.Write(result with { Cells = [result.Cells[0] with { FreshFleet = true }] }, folder.FullName)))!;
            Assert.True((bool?)json["cells"]![0]!["freshFleet"]);

            json["cells"]![0]!.AsObject().Remove("freshFleet");
            var path = Path.Combine(folder.FullName, "sweep.json");
            File.WriteAllText(path, json.ToJsonString());

            Assert.False(Assert.Single(SweepJson.Read(path).Cells).FreshFleet);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_file_that_holds_no_sweep_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("loadgen-sweep-");
        try
        {
            var path = Path.Combine(folder.FullName, "sweep.json");
            File.WriteAllText(path, "null");
            Assert.Equal($"{path} holds no sweep", Assert.Throws<JsonException>(() => SweepJson.Read(path)).Message);

            File.WriteAllText(path, """{"schema": "grpc-load-lab/sweep"}""");
            Assert.ThrowsAny<JsonException>(() => SweepJson.Read(path));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_cells_load_in_words_follows_its_model()
    {
        Assert.Equal("64 concurrent", new SweepCellResult("p", "round_robin", 4, false, 64, null, 0).LoadText);
        Assert.Equal("12.5/s", new SweepCellResult("p", "round_robin", 4, true, 12.5, null, 0).LoadText);
        Assert.Equal("1000/s", NumberText.Load(openModel: true, 1000));
        Assert.Equal("3 concurrent", NumberText.Load(openModel: false, 3));
    }

    private static SweepResult Result(string? partialReason) => new(
        SweepResult.SchemaName,
        SweepResult.CurrentVersion,
        "demo",
        partialReason is not null,
        partialReason,
        new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.FromHours(1)),
        new DateTimeOffset(2025, 1, 1, 12, 5, 0, TimeSpan.FromHours(1)),
        Spec,
        2,
        [
            new SweepCellResult("io", "pick_first", 1, false, 1, "io-n1-c1", 0),
            new SweepCellResult("io", "pick_first", 2, true, 32.5, "io-n2-r32.5", 2),
        ]);
}
