using GrpcLoadLab.LoadGen.Scenarios;

namespace GrpcLoadLab.LoadGen.Tests.Scenarios;

/// <summary>
/// A scenario file's own inputs (schema, requests file, TLS files) are named from the file's folder, whatever the
/// current folder; full paths stay as they are; the lab's registry and the reports' folder stay from the current folder.
/// </summary>
public sealed class ScenarioPathsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("scenario-paths-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void A_scenario_files_inputs_are_named_from_its_folder()
    {
        var scenarios = _folder.CreateSubdirectory("scenarios").FullName;
        var file = Path.Combine(scenarios, "s.json");
        File.WriteAllText(file, """
            {
              "name": "s",
              "target": { "address": "file:.lab/servers.txt", "tls": { "caFile": "certs/ca.pem", "certFile": "../certs/client.pem", "keyFile": "/etc/lab/client.key" } },
              "call": { "kind": "unary", "method": "a.B/C", "protos": ["protos/a.proto"], "importPaths": ["protos", "/usr/include"], "requests": "data/r.jsonl" },
              "phases": [{ "type": "constant-concurrency", "concurrency": 1, "duration": "1s" }],
              "report": { "directory": "out" }
            }
            """);

        var scenario = ScenarioLoader.Load(file);

        Assert.Equal([Path.Combine(scenarios, "protos", "a.proto")], scenario.Call.Protos);
        Assert.Equal([Path.Combine(scenarios, "protos"), "/usr/include"], scenario.Call.ImportPaths);
        Assert.Equal(Path.Combine(scenarios, "data", "r.jsonl"), scenario.Call.Requests);
        var tls = scenario.Target.Tls!;
        Assert.Equal(
            (Path.Combine(scenarios, "certs", "ca.pem"), Path.Combine(_folder.FullName, "certs", "client.pem"), "/etc/lab/client.key"),
            (tls.CaFile, tls.CertFile, tls.KeyFile));
        // What names the lab where it runs is not the file's.
        Assert.Equal("file:.lab/servers.txt", scenario.Target.Address.Text);
        Assert.Equal("out", scenario.Report.Directory);
    }

    [Fact]
    public void A_descriptor_set_is_named_from_the_files_folder_and_a_plaintext_target_stays_plaintext()
    {
        var file = Path.Combine(_folder.FullName, "d.json");
        File.WriteAllText(file, """
            {
              "name": "d",
              "call": { "kind": "unary", "method": "a.B/C", "descriptorSet": "set.pb" },
              "phases": [{ "type": "constant-concurrency", "concurrency": 1, "duration": "1s" }]
            }
            """);

        var scenario = ScenarioLoader.Load(file);

        Assert.Equal(Path.Combine(_folder.FullName, "set.pb"), scenario.Call.DescriptorSet);
        Assert.Null(scenario.Target.Tls);
    }
}
