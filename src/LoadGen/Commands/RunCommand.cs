using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.Common;
using GrpcLoadLab.LoadGen.Dynamic;
using GrpcLoadLab.LoadGen.Faults;
using GrpcLoadLab.LoadGen.Fleet;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.Commands;

/// <summary>
/// <c>loadgen run [SCENARIO.json] [overrides]</c>: runs a scenario and writes its result; without a scenario file,
/// a quick run of the call that <see cref="CallFlags"/> give.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var scenarioFile = new Argument<string?>("scenario")
        {
            Description = "The scenario file (JSON), e.g. scenarios/unary-open.json; none for a quick run of --method.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var callFlags = new CallFlags();
        var exportFlags = new ExportFlags();
        var agentFlags = new AgentFlags();
        var tlsFlags = new TlsFlags();
        var concurrency = new Option<int?>("--concurrency", "-c")
        {
            Description = $"Callers of every closed-model phase (the end of a ramp): {Limits.Concurrency.Text}.",
            CustomParser = result => Cli.ParseWhole(result, Limits.Concurrency),
        };
        var rate = new Option<double?>("--rate", "-r")
        {
            Description = $"Calls a second of every open-model phase (the end of a ramp): {Limits.Rate.Text}.",
            CustomParser = result => Cli.ParseNumber(result, Limits.Rate),
        };
        var duration = new Option<TimeSpan?>("--duration", "-d")
        {
            Description = "Length of every measured timed phase, e.g. 30s (at most 24h).",
            CustomParser = DurationParser.ParseOption,
        };
        var target = new Option<string?>("--target", "-t") { Description = "file:PATH, static:HOST:PORT[,...] or dns:HOST:PORT." };
        var policy = new Option<BalancingPolicy?>("--policy", "-p")
        {
            Description = $"Balancing policy: {Spellings.Policy.Choices}.",
            CustomParser = ParsePolicy,
        };
        var name = new Option<string?>("--name", "-n") { Description = "Name of the run (and of its results folder)." };
        var fleetScript = new Option<string>("--fleet-script")
        {
            Description = "The fleet script that carries out the scenario's kill, terminate and restart faults (in the folder of the target's registry).",
            DefaultValueFactory = _ => Path.Combine("scripts", "servers.sh"),
        };
        var junit = new Option<string?>("--junit")
        {
            Description = "Also write the thresholds and the run's validity as JUnit XML to this file, for CI (its folder must exist).",
        };

        var noFollow = new Option<bool>("--no-follow")
        {
            Description = "Do not follow the servers' own timelines (WatchStats) during the run: result.json then has no serverTimelines.",
        };

        var command = new Command("run", "Run a scenario; write reports/TIME-NAME/result.json; thresholds decide the exit code.")
        {
            scenarioFile, concurrency, rate, duration, target, policy, name, fleetScript, junit, noFollow,
        };
        foreach (var option in callFlags.All.Concat(agentFlags.All).Concat(tlsFlags.All))
        {
            command.Options.Add(option);
        }

        exportFlags.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new ScenarioOverrides(
                parse.GetValue(concurrency),
                parse.GetValue(rate),
                parse.GetValue(duration),
                parse.GetValue(target),
                parse.GetValue(policy),
                parse.GetValue(name));
            var fleetScriptGiven = parse.GetResult(fleetScript) is { Implicit: false };
            Func<CallSpec, CallSpec> calls = call => callFlags.ApplyTo(call, parse);
            AgentPlan? agent;
            try
            {
                agent = agentFlags.Plan(parse, System.Console.Error);
            }
            catch (ScenarioException e)
            {
                return Cli.Fail(e.Message);
            }

            Func<Scenario, Scenario> tls = scenario => tlsFlags.ApplyTo(scenario, parse);
            return await RunAsync(parse.GetValue(scenarioFile), calls, tls, overrides, parse.GetValue(fleetScript)!, fleetScriptGiven, parse.GetValue(junit), exportFlags.Read(parse), agent, !parse.GetValue(noFollow), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        string? scenarioFile, Func<CallSpec, CallSpec> applyCallFlags, Func<Scenario, Scenario> applyTlsFlags, ScenarioOverrides overrides, string fleetScript, bool fleetScriptGiven, string? junitFile, OtlpExportSettings? otlp, AgentPlan? agent, bool followServers, CancellationToken interrupt)
    {
        if (junitFile is not null && JUnitReport.PathProblem(junitFile) is { } junitProblem)
        {
            return Cli.Fail(junitProblem);
        }

        Scenario scenario;
        FleetScript? fleet = null;
        try
        {
            if (scenarioFile is null)
            {
                // A quick run: the flags' call, whose kind its schema tells.
                var call = applyCallFlags(new CallSpec());
                if (call.Method is null)
                {
                    return Cli.Fail("name a scenario file, or give --method package.Service/Method for a quick run");
                }

                scenario = applyTlsFlags(overrides.ApplyTo(CallFlags.QuickScenario(call, openModel: overrides.Rate is not null)));
                var kind = await DynamicCall.KindOfAsync(scenario.Call, scenario.Target.Address.Text, scenario.Target.Tls?.Load(), interrupt);
                scenario = scenario with { Call = scenario.Call with { Kind = kind } };
            }
            else
            {
                var loaded = ScenarioLoader.Load(scenarioFile);
                scenario = applyTlsFlags(overrides.ApplyTo(loaded with { Call = applyCallFlags(loaded.Call) }));
            }

            if (scenario.Faults.Any(f => f.ActsOnProcess()))
            {
                // The validator made sure such a scenario targets a registry: the fleet's LAB_DIR is its folder.
                fleet = new FleetScript(fleetScript, InstanceAddresses.RegistryFolder(scenario.Target.Address)!);
            }
            else if (fleetScriptGiven)
            {
                return Cli.Fail($"--fleet-script: the scenario {scenario.Name} has no kill, terminate or restart fault for a fleet script to carry out: drop --fleet-script");
            }

            if (agent?.Share.Problem(scenario) is { } shareProblem)
            {
                return Cli.Fail($"--agent {agent.Share.Text}: {shareProblem}");
            }
        }
        catch (Exception e) when (e is ScenarioException or FleetException or DynamicCallException or BalancerConfigurationException)
        {
            return Cli.Fail(e.Message);
        }

        var output = System.Console.Out;
        var display = ProgressDisplay.Create(output, ProgressDisplay.StandardOutputIsTerminal);
        RunOutcome outcome;
        try
        {
            outcome = await new LoadRun(scenario, display, fleet, otlp, agent, followServers).ExecuteAsync(interrupt);
        }
        catch (Exception e) when (e is LoadRunException or BalancerConfigurationException or DynamicCallException)
        {
            display.Complete();
            return Cli.Fail(e.Message);
        }
        catch (RunInterruptedException e)
        {
            display.Complete();
            System.Console.Error.WriteLine($"loadgen: {e.Message}");
            return ExitCodes.Interrupted;
        }

        // The result is written: nothing after this point may lose it or turn it into "bad input".
        output.Write(SummaryText.Render(outcome.Result, outcome.ResultPath));
        if (outcome.Warning is { } warning)
        {
            System.Console.Error.WriteLine($"loadgen: {warning}");
        }

        if (junitFile is not null)
        {
            try
            {
                JUnitReport.Write(outcome.Result, junitFile);
                output.WriteLine($"junit: {junitFile}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                System.Console.Error.WriteLine($"loadgen: the result is kept in {outcome.ResultPath}, but the JUnit file {junitFile} could not be written ({e.Message})");
                return outcome.ExitCode == ExitCodes.Passed ? ExitCodes.Failed : outcome.ExitCode;
            }
        }

        // Also after a signal: a page is about 100 KB (plotly.js is shared) and the index reads one small entry per run,
        // so the pages take about a second, with 10 runs in the folder or 10,000.
        var runFolder = Path.GetDirectoryName(outcome.ResultPath)!;
        try
        {
            RunReportWriter.Write(outcome.Result, runFolder);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            System.Console.Error.WriteLine($"loadgen: the result is kept in {outcome.ResultPath}, but its pages could not be written ({e.GetType().Name}: {e.Message}); `loadgen report {runFolder}` writes them again");
            return outcome.ExitCode == ExitCodes.Passed ? ExitCodes.Failed : outcome.ExitCode;
        }

        output.WriteLine($"report: {Path.Combine(runFolder, RunReportWriter.ReportFile)}");
        output.WriteLine($"all runs: {Path.Combine(RunReportWriter.ParentOf(runFolder), IndexPage.FileName)}");
        return outcome.ExitCode;
    }

    private static BalancingPolicy? ParsePolicy(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Spellings.Policy.TryParse(text, out var value))
        {
            return value;
        }

        result.AddError(string.Create(CultureInfo.InvariantCulture, $"--policy '{text}' is not a policy: use {Spellings.Policy.Choices}"));
        return null;
    }
}
