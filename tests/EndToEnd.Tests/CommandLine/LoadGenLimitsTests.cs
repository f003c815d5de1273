using System.Net;
using System.Net.Sockets;
using GrpcLoadLab.EndToEnd.Tests.LoadGen;

namespace GrpcLoadLab.EndToEnd.Tests.CommandLine;

/// <summary>
/// Numbers at their limits, and beyond what the code can hold, in every place <c>loadgen</c> reads one: its flags, a
/// scenario file, a sweep file, a threshold. Each is refused in one line naming where it was and its range, exit 2,
/// before any load (the target has no server: a value let through would end in "no server answered" instead).
/// </summary>
public class LoadGenLimitsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private const string GoodPhase = "{\"type\": \"constant-rate\", \"rate\": 10, \"duration\": \"1s\"}";

    [Theory]
    [InlineData("--duration", "1e30s", "at most 24h")]
    [InlineData("--duration", "-1e30s", "at most 24h")]
    [InlineData("--duration", "25h", "at most 24h")]
    [InlineData("--concurrency", "2000000000", "from 1 to 100000")]
    [InlineData("-c", "99999999999", "from 1 to 100000")]
    [InlineData("-c", "99999999999999999999999999999999", "from 1 to 100000")]
    [InlineData("-c", "0", "from 1 to 100000")]
    [InlineData("--rate", "1e400", "at most 1000000")]
    [InlineData("--rate", "NaN", "at most 1000000")]
    [InlineData("--rate", "2000000", "at most 1000000")]
    public async Task A_flag_outside_its_range_is_refused_in_one_line(string flag, string value, string range)
    {
        var scenario = WriteScenario($"\"phases\": [{GoodPhase}]");

        await AssertRefusedAsync(["run", scenario, flag, value], range);
    }

    [Theory]
    [InlineData("--otlp-endpoint 'localhost:4317' is not an OTLP collector's address: give http://HOST:PORT", "--otlp-endpoint", "localhost:4317")]
    [InlineData("--otlp-endpoint 'ftp://127.0.0.1:4317' is not an OTLP collector's address", "--otlp-endpoint", "ftp://127.0.0.1:4317")]
    [InlineData("--otlp-interval needs --otlp-endpoint", "--otlp-interval", "1s")]
    [InlineData("--otlp-interval '10ms' is not a duration from 100ms to 1h", "--otlp-endpoint", "http://127.0.0.1:4317", "--otlp-interval", "10ms")]
    [InlineData("--otlp-interval '1e30s' is not a duration from 100ms to 1h", "--otlp-endpoint", "http://127.0.0.1:4317", "--otlp-interval", "1e30s")]
    [InlineData("--otlp-interval 'soon' is not a duration", "--otlp-endpoint", "http://127.0.0.1:4317", "--otlp-interval", "soon")]
    public async Task An_export_flag_is_refused_in_one_line_in_the_server_s_words(string refusal, params string[] flags)
    {
        var scenario = WriteScenario($"\"phases\": [{GoodPhase}]");

        await AssertRefusedAsync(["run", scenario, .. flags], refusal);
    }

    [Theory]
    [InlineData("\"call\": {\"deadline\": \"100000000h\"}", "$.call.deadline", "at most 24h")]
    [InlineData("\"call\": {\"delay\": \"1e30s\"}", "$.call.delay", "to 1h")]
    [InlineData("\"call\": {\"cpu\": \"2h\"}", "$.call.cpu", "to 1h")]
    [InlineData("\"call\": {\"requestSize\": 2147483648}", "$.call.requestSize", "from 0 to 4194304")]
    [InlineData("\"call\": {\"replySize\": 99999999999999999999999}", "$.call.replySize", "from 0 to 4194304")]
    [InlineData("\"call\": {\"replies\": 5000000}", "$.call.replies", "from 1 to 1000000")]
    [InlineData("\"maxOutstanding\": 3000000000", "$.maxOutstanding", "from 1 to 1000000")]
    [InlineData("\"seed\": 3000000000", "$.seed", "2147483647")]
    [InlineData("\"thresholds\": [\"p99 < 79228162514264337593543950335ms\"]", "$.thresholds[0]", "from 0 to 1000000000")]
    [InlineData("\"thresholds\": [\"errors < 99999999999999999999999999999999%\"]", "$.thresholds[0]", "from 0 to 1000000000")]
    public async Task A_scenario_value_outside_its_range_is_refused_in_one_line(string json, string path, string range)
    {
        var scenario = WriteScenario($"\"phases\": [{GoodPhase}], {json}");

        await AssertRefusedAsync(["run", scenario], path, range);
    }

    [Theory]
    [InlineData("{\"type\": \"constant-rate\", \"rate\": 10, \"duration\": \"1e30s\"}", "$.phases[0].duration")]
    [InlineData("{\"type\": \"constant-concurrency\", \"concurrency\": 2000000000, \"duration\": \"1s\"}", "$.phases[0].concurrency")]
    [InlineData("{\"type\": \"ramp-concurrency\", \"from\": 99999999999, \"to\": 4, \"duration\": \"1s\"}", "$.phases[0].from")]
    [InlineData("{\"type\": \"iterations\", \"concurrency\": 2, \"iterations\": 99999999999999999999}", "$.phases[0].iterations")]
    [InlineData("{\"type\": \"iterations\", \"concurrency\": 2, \"iterations\": 10, \"timeout\": \"1e30s\"}", "$.phases[0].timeout")]
    [InlineData("{\"type\": \"poisson\", \"rate\": 1e300, \"duration\": \"1s\"}", "$.phases[0].rate")]
    [InlineData("{\"type\": \"ramp-rate\", \"from\": 0, \"to\": 1e400, \"duration\": \"1s\"}", "$.phases[0].to")]
    [InlineData("{\"type\": \"pause\", \"duration\": \"1e30s\"}", "$.phases[0].duration")]
    public async Task A_phase_value_outside_its_range_is_refused_in_one_line(string phase, string path)
    {
        var scenario = WriteScenario($"\"phases\": [{phase}, {GoodPhase}]");

        await AssertRefusedAsync(["run", scenario], path);
    }

    [Theory]
    [InlineData("\"duration\": \"1e30s\"", "$.duration")]
    [InlineData("\"warmup\": \"-1e30s\"", "$.warmup")]
    [InlineData("\"fleetWarmup\": \"1e30s\"", "$.fleetWarmup")]
    [InlineData("\"basePort\": 10000000000", "$.basePort")]
    [InlineData("\"concurrency\": [3000000000]", "$.concurrency[0]")]
    [InlineData("\"instances\": [99999999999]", "$.instances[0]")]
    [InlineData("\"profiles\": [{\"name\": \"p\", \"capacity\": 9999999999}]", "$.profiles[0].capacity")]
    [InlineData("\"profiles\": [{\"name\": \"p\", \"delay\": \"1e30s\"}]", "$.profiles[0].delay")]
    public async Task A_sweep_value_outside_its_range_is_refused_in_one_line_and_starts_no_fleet(string json, string path)
    {
        var folder = Directory.CreateTempSubdirectory("loadgen-limits-").FullName;
        try
        {
            var scenario = WriteScenario($"\"phases\": [{GoodPhase}]", folder);
            var sweep = Path.Combine(folder, "sweep.json");
            // Later keys of the same name are refused as repeats: the default load is given only when the case has none.
            var load = json.Contains("\"concurrency\"", StringComparison.Ordinal) ? "" : "\"concurrency\": [2], ";
            var instances = json.Contains("\"instances\"", StringComparison.Ordinal) ? "" : "\"instances\": [1], ";
            await File.WriteAllTextAsync(sweep, $"{{\"name\": \"s\", \"scenario\": \"{Path.GetFileName(scenario)}\", {instances}{load}{json}}}");
            var lab = Path.Combine(folder, "lab");

            await AssertRefusedAsync(["sweep", sweep, "--lab-dir", lab, "--reports", Path.Combine(folder, "reports")], path);
            Assert.False(Directory.Exists(lab), "a fleet folder was made: the sweep went as far as its fleet");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_sweep_s_junit_file_in_a_missing_folder_is_refused_before_any_fleet()
    {
        var folder = Directory.CreateTempSubdirectory("loadgen-limits-").FullName;
        try
        {
            var scenario = WriteScenario($"\"phases\": [{GoodPhase}]", folder);
            var sweep = Path.Combine(folder, "sweep.json");
            await File.WriteAllTextAsync(sweep, $"{{\"name\": \"s\", \"scenario\": \"{Path.GetFileName(scenario)}\", \"instances\": [1], \"concurrency\": [2]}}");
            var lab = Path.Combine(folder, "lab");
            var junit = Path.Combine(folder, "missing", "sweep.xml");

            await AssertRefusedAsync(["sweep", sweep, "--lab-dir", lab, "--reports", Path.Combine(folder, "reports"), "--junit", junit], $"--junit {junit}: the folder", "does not exist");
            Assert.False(Directory.Exists(lab), "a fleet folder was made: the sweep went as far as its fleet");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task AssertRefusedAsync(string[] arguments, params string[] named)
    {
        var (exitCode, run) = await LoadGenProcess.RunAsync(Limit, arguments);
        await using (run)
        {
            Assert.True(exitCode == 2, $"expected exit 2: exit {exitCode}\n{run.StandardOutput}{run.StandardError}");
            var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("loadgen: ", line, StringComparison.Ordinal);
            Assert.All(named, text => Assert.Contains(text, line, StringComparison.Ordinal));
            Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(run.WorkingDirectory, "reports")), "a results folder was written");
        }
    }

    /// <summary>A scenario aimed at a loopback port where nothing listens, in <paramref name="folder"/> (a new temporary one by default).</summary>
    internal static string WriteScenario(string body, string? folder = null)
    {
        folder ??= Directory.CreateTempSubdirectory("loadgen-limits-").FullName;
        var path = Path.Combine(folder, "scenario.json");
        File.WriteAllText(path, $"{{\"name\": \"limits\", \"target\": {{\"address\": \"static:127.0.0.1:{UnusedPort()}\"}}, {body}}}");
        return path;
    }

    internal static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
