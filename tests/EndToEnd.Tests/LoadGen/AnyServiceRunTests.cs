extern alias LoadGen;

using System.Globalization;
using GrpcLoadLab.EndToEnd.Tests.Fleet;
using GrpcLoadLab.EndToEnd.Tests.Processes;
using LoadGen::GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.EndToEnd.Tests.LoadGen;

/// <summary>
/// <c>loadgen run</c> calling a service the lab did not write: gRPC's route_guide as a Python grpcio fleet
/// (tests/RouteGuide) started by the fleet script, each kind of method called by its schema through the balancer.
/// </summary>
public sealed class AnyServiceRunTests : IDisposable
{
    private const int Calls = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);

    private readonly DirectoryInfo _scenarios = Directory.CreateTempSubdirectory("any-service-");

    /// <summary>The first feature of the server's grid (40.0, -74.0); the grid has one every 0.01 degree.</summary>
    private const string Origin = """{"latitude": 400000000, "longitude": -740000000}""";

    /// <summary>A rectangle holding 3 x 3 features of the grid.</summary>
    private const string Rectangle = """{"lo": {"latitude": 400000000, "longitude": -740000000}, "hi": {"latitude": 400200000, "longitude": -739800000}}""";

    [Theory]
    // One reply per call.
    [InlineData("unary", "GetFeature", Origin, 1, 1)]
    // The features inside the rectangle.
    [InlineData("server-stream", "ListFeatures", Rectangle, 1, 9)]
    // Three points, then one summary.
    [InlineData("client-stream", "RecordRoute", Origin, 3, 1)]
    // Three notes at one place: each answered by the notes before it and itself (1 + 2 + 3).
    [InlineData("bidi", "RouteChat", """{"location": {"latitude": 1, "longitude": 2}, "message": "hi"}""", 3, 6)]
    public async Task Each_kind_of_method_runs_by_reflection_through_the_balancer_with_even_shares(
        string kind, string method, string request, int sent, int received)
    {
        await using var fleet = await StartFleetAsync("--health", "--reflection");
        var scenario = Scenario(kind, $"routeguide.RouteGuide/{method}", request);

        var (exitCode, run) = await LoadGenProcess.RunAsync(RunLimit, "run", scenario, "--target", $"file:{fleet.RegistryPath}");
        await using (run)
        {
            AssertRan(exitCode, run);
            var totals = run.ReadResult().Totals;
            Assert.Equal(Calls, totals.Calls.Succeeded);
            Assert.Equal(0, totals.Calls.Failed);
            Assert.Equal(Calls * sent, totals.MessagesSent);
            Assert.Equal(Calls * received, totals.MessagesReceived);
            Assert.True(totals.BytesSent > Calls * sent * 5 && totals.BytesReceived > Calls * received * 5);
            // Round robin over the two instances: each picked for half the calls.
            var picks = run.ReadResult().Endpoints.Where(e => e.Address is not null).Select(e => e.Picks).ToList();
            Assert.Equal(2, picks.Count);
            Assert.All(picks, p => Assert.InRange(p, Calls / 2 - 2, Calls / 2 + 2));
            // A foreign server serves no WatchStats: each instance is recorded as not followed, and the run passed all the same.
            var timelines = run.ReadResult().ServerTimelines!;
            Assert.Equal(2, timelines.Count);
            Assert.All(timelines, t => Assert.StartsWith("UNIMPLEMENTED: it does not serve lab.v1.LoadLab/WatchStats", t.NotFollowed, StringComparison.Ordinal));
            Assert.All(timelines, t => Assert.Empty(t.Seconds));
        }
    }

    [Fact]
    public async Task Without_reflection_on_the_server_the_schema_comes_from_its_proto_file()
    {
        await using var fleet = await StartFleetAsync("--health");
        var proto = Path.Combine(RouteGuideServer.ProtoFolder, "route_guide.proto");
        var withProto = Scenario("unary", "routeguide.RouteGuide/GetFeature", Origin, $", \"protos\": [\"{proto}\"]");

        var (exitCode, run) = await LoadGenProcess.RunAsync(RunLimit, "run", withProto, "--target", $"file:{fleet.RegistryPath}");
        await using (run)
        {
            AssertRan(exitCode, run);
            Assert.Equal(Calls, run.ReadResult().Totals.Calls.Succeeded);
        }

        var (refused, reflectionRun) = await LoadGenProcess.RunAsync(
            RunLimit, "run", Scenario("unary", "routeguide.RouteGuide/GetFeature", Origin), "--target", $"file:{fleet.RegistryPath}");
        await using (reflectionRun)
        {
            Assert.Equal(ExitCodes.BadInput, refused);
            var line = Assert.Single(reflectionRun.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("the server serves no reflection (neither grpc.reflection.v1 nor v1alpha): give the schema with --proto FILE", line, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(reflectionRun.WorkingDirectory, "reports")), "nothing was run");
        }
    }

    [Fact]
    public async Task Requests_come_from_a_data_file_and_templates_and_a_bad_line_is_refused_with_its_number()
    {
        await using var fleet = await StartFleetAsync("--reflection");
        var points = Path.Combine(_scenarios.FullName, "points.jsonl");
        File.WriteAllText(points, "{\"latitude\": 400000000, \"longitude\": -740000000}\n\n{\"latitude\": 1}\n");
        string[] quick = ["run", "--method", "routeguide.RouteGuide/GetFeature", "--proto", Path.Combine(RouteGuideServer.ProtoFolder, "route_guide.proto"),
            "--target", $"file:{fleet.RegistryPath}", "--concurrency", "2", "--duration", "2s"];

        var (fromFile, fileRun) = await LoadGenProcess.RunAsync(RunLimit, [.. quick, "--data-file", points]);
        await using (fileRun)
        {
            Assert.True(fromFile == ExitCodes.Passed, $"exit {fromFile}\n{fileRun.StandardOutput}{fileRun.StandardError}");
            Assert.True(fileRun.ReadResult().Totals.Calls.Succeeded > 0);
        }

        var (templated, templateRun) = await LoadGenProcess.RunAsync(
            RunLimit, [.. quick, "--data", """{"latitude": "{{randomInt 400000000 400900000}}", "longitude": "{{call}}"}""", "--metadata", "x-call={{call}}"]);
        await using (templateRun)
        {
            Assert.True(templated == ExitCodes.Passed, $"exit {templated}\n{templateRun.StandardOutput}{templateRun.StandardError}");
            Assert.True(templateRun.ReadResult().Totals.Calls.Succeeded > 0);
        }

        var bad = Path.Combine(_scenarios.FullName, "bad.jsonl");
        File.WriteAllText(bad, "{\"latitude\": 1}\n{\"lat\": 2}\n");
        var (refused, badRun) = await LoadGenProcess.RunAsync(RunLimit, [.. quick, "--data-file", bad]);
        await using (badRun)
        {
            Assert.Equal(ExitCodes.BadInput, refused);
            var line = Assert.Single(badRun.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"{bad}:2: the message routeguide.Point has no field 'lat'", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_quick_run_from_flags_alone_takes_the_kind_from_the_schema()
    {
        // Reflection alone: no health service (the balancer then goes by the connection), no proto file.
        await using var fleet = await StartFleetAsync("--reflection");

        var (exitCode, run) = await LoadGenProcess.RunAsync(
            RunLimit,
            "run", "--method", "routeguide.RouteGuide/ListFeatures", "--data", Rectangle, "--metadata", "x-lab=quick",
            "--target", $"file:{fleet.RegistryPath}", "--concurrency", "2", "--duration", "2s");
        await using (run)
        {
            AssertRan(exitCode, run);
            var result = run.ReadResult();
            Assert.Equal(LoadGen::GrpcLoadLab.LoadGen.Scenarios.CallKind.ServerStream, result.Scenario.Call.Kind);
            Assert.Equal("quick", result.Scenario.Call.Metadata["x-lab"]);
            Assert.True(result.Totals.Calls.Succeeded > 0);
            Assert.Equal(result.Totals.Calls.Succeeded * 9, result.Totals.MessagesReceived);
        }
    }

    [Fact]
    public async Task A_reply_check_fails_the_calls_whose_reply_does_not_hold_as_CHECK_FAILED_with_an_example()
    {
        await using var fleet = await StartFleetAsync("--reflection");

        // The quick run's flag: every reply names the feature at the origin.
        var (passed, quickRun) = await LoadGenProcess.RunAsync(
            RunLimit,
            "run", "--method", "routeguide.RouteGuide/GetFeature", "--data", Origin, "--expect", "$.name=feature 0,0", "--expect", "$.location.latitude=400000000",
            "--target", $"file:{fleet.RegistryPath}", "--concurrency", "2", "--duration", "2s");
        await using (quickRun)
        {
            AssertRan(passed, quickRun);
            var totals = quickRun.ReadResult().Totals;
            Assert.True(totals.Calls.Succeeded > 0);
            Assert.Equal(0, totals.Calls.Failed);
            Assert.Equal(["OK"], totals.StatusCodes.Keys);
            Assert.Null(quickRun.ReadResult().CheckMismatch);
        }

        // A scenario's check that no reply holds: every call ended OK at the server, and every one failed the check.
        var (exitCode, run) = await LoadGenProcess.RunAsync(
            RunLimit, "run", Scenario("unary", "routeguide.RouteGuide/GetFeature", Origin, """, "expect": [{"path": "$.name", "equals": "feature 9,9"}]"""), "--target", $"file:{fleet.RegistryPath}");
        await using (run)
        {
            AssertRan(exitCode, run);
            var result = run.ReadResult();
            Assert.Equal((0L, (long)Calls), (result.Totals.Calls.Succeeded, result.Totals.Calls.Failed));
            Assert.Equal(Calls, result.Totals.StatusCodes["CHECK_FAILED"]);
            Assert.False(result.Totals.StatusCodes.ContainsKey("OK"));
            Assert.Equal("$.name: expected \"feature 9,9\", got \"feature 0,0\"", result.CheckMismatch);
            Assert.Contains("a reply that failed the check: $.name: expected \"feature 9,9\", got \"feature 0,0\"", run.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_reply_check_on_a_stream_must_hold_for_every_message()
    {
        await using var fleet = await StartFleetAsync("--reflection");
        // One column of the grid: three features, all at the origin's longitude, at three latitudes.
        const string Column = """{"lo": {"latitude": 400000000, "longitude": -740000000}, "hi": {"latitude": 400200000, "longitude": -740000000}}""";

        var (exitCode, run) = await LoadGenProcess.RunAsync(
            RunLimit, "run", Scenario("server-stream", "routeguide.RouteGuide/ListFeatures", Column, """, "expect": [{"path": "$.location.longitude", "equals": -740000000}]"""), "--target", $"file:{fleet.RegistryPath}");
        await using (run)
        {
            AssertRan(exitCode, run);
            var totals = run.ReadResult().Totals;
            Assert.Equal((long)Calls, totals.Calls.Succeeded);
            Assert.Equal(Calls * 3, totals.MessagesReceived);
        }

        // The first message holds the latitude, the next two do not: every call fails the check.
        var (failedCheck, latitudeRun) = await LoadGenProcess.RunAsync(
            RunLimit, "run", Scenario("server-stream", "routeguide.RouteGuide/ListFeatures", Column, """, "expect": [{"path": "$.location.latitude", "equals": 400000000}]"""), "--target", $"file:{fleet.RegistryPath}");
        await using (latitudeRun)
        {
            AssertRan(failedCheck, latitudeRun);
            var result = latitudeRun.ReadResult();
            Assert.Equal(Calls, result.Totals.StatusCodes["CHECK_FAILED"]);
            Assert.Equal(Calls * 3, result.Totals.MessagesReceived);
            Assert.Equal("$.location.latitude: expected 400000000, got 400100000", result.CheckMismatch);
        }
    }

    [Theory]
    [InlineData("unary", "routeguide.RouteGuide/GetFeatures", Origin, "the service routeguide.RouteGuide has no method 'GetFeatures' (methods: GetFeature, ListFeatures, RecordRoute, RouteChat)")]
    [InlineData("unary", "routeguide.Guide/GetFeature", Origin, "the server has no service 'routeguide.Guide' (services: grpc.health.v1.Health, grpc.reflection.v1alpha.ServerReflection, routeguide.RouteGuide)")]
    [InlineData("unary", "routeguide.RouteGuide/GetFeature", """{"lat": 1}""", "call.request: the message routeguide.Point has no field 'lat' (its fields: latitude, longitude)")]
    [InlineData("unary", "routeguide.RouteGuide/GetFeature", """{"latitude": "north"}""", "call.request.latitude: expected a whole number from -2147483648 to 2147483647, not \"north\"")]
    [InlineData("unary", "routeguide.RouteGuide/ListFeatures", Origin, "call.kind: routeguide.RouteGuide/ListFeatures is a server-stream method, not unary: set \"kind\": \"server-stream\"")]
    [InlineData("unary", "routeguide.RouteGuide/GetFeature", Origin + ", \"expect\": [{\"path\": \"$.nme\", \"equals\": \"x\"}]", "call.expect[0].path: $: the message routeguide.Feature has no field 'nme' (its fields: name, location)")]
    public async Task Bad_input_about_the_service_is_refused_in_one_line_with_exit_code_2_and_nothing_run(
        string kind, string method, string request, string expected)
    {
        await using var fleet = await StartFleetAsync("--health", "--reflection");

        var (exitCode, run) = await LoadGenProcess.RunAsync(RunLimit, "run", Scenario(kind, method, request), "--target", $"file:{fleet.RegistryPath}");
        await using (run)
        {
            Assert.True(exitCode == ExitCodes.BadInput, $"exit {exitCode}\n{run.StandardOutput}{run.StandardError}");
            var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(expected, line, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(run.WorkingDirectory, "reports")), "nothing was run");
        }
    }

    public void Dispose() => _scenarios.Delete(recursive: true);

    /// <summary>
    /// The run ended well: passed, or invalid only where its own verdict says the busy machine held the generator
    /// back (a test must not depend on the machine's speed).
    /// </summary>
    internal static void AssertRan(int exitCode, LoadGenProcess run)
    {
        var expected = run.ReadResult().Verdict.Valid ? ExitCodes.Passed : ExitCodes.Invalid;
        Assert.True(exitCode == expected, $"exit {exitCode}, expected {expected}\n{run.StandardOutput}{run.StandardError}");
    }

    private static async Task<LabFleet> StartFleetAsync(params string[] flags)
    {
        var fleet = new LabFleet();
        var basePort = FreePorts.FindRange(2);
        var start = await fleet.RunAsync(
            StartTimeout, "start", "2", "--command", RouteGuideServer.Command(flags), "--base-port", basePort.ToString(CultureInfo.InvariantCulture));
        Assert.True(start.ExitCode == 0, start.ToString());
        return fleet;
    }

    /// <summary>A scenario file of <see cref="Calls"/> calls by 4 callers; <paramref name="extra"/> adds keys to the call.</summary>
    private string Scenario(string kind, string method, string request, string extra = "")
    {
        var file = Path.Combine(_scenarios.FullName, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(file, $$"""
            {
              "name": "route-guide",
              "call": { "kind": "{{kind}}", "method": "{{method}}", "request": {{request}}, "messages": 3{{extra}} },
              "phases": [ { "type": "iterations", "concurrency": 4, "iterations": {{Calls}} } ]
            }
            """);
        return file;
    }
}
