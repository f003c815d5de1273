using System.Runtime.InteropServices;
using GrpcLoadLab.Balancer;
using GrpcLoadLab.LoadGen.Reports;
using GrpcLoadLab.LoadGen.Runner;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Terminal;

namespace GrpcLoadLab.LoadGen.CodeScenarios;

/// <summary>
/// A scenario written in C#: the same <see cref="Scenario"/> as a scenario file (target, load phases with warm-up and
/// pauses, thresholds, seed, results folder), whose every call is its <see cref="ScenarioStep"/>. It runs on the CLI's
/// engine (<see cref="LoadRun"/>) and leaves what <c>loadgen run</c> leaves: <c>result.json</c>, report.html,
/// summary.md, stats.csv and the folder's index entry, which <c>loadgen compare</c> and the study read like any run.
/// </summary>
/// <param name="Settings">Everything but the call; of <see cref="Scenario.Call"/> only the deadline and the description (what the step calls) apply.</param>
public sealed record CodeScenario(Scenario Settings, ScenarioStep Step)
{
    /// <summary>What <c>result.json</c>'s <c>scenario.call.description</c> says when the scenario's <see cref="CallSpec.Description"/> does not say what the step calls.</summary>
    public const string DefaultCallDescription = "a C# scenario's step";

    /// <summary>
    /// Checks the scenario (a <see cref="ScenarioException"/> names what is wrong, before any load), runs it and
    /// writes its result and pages. <paramref name="cancellationToken"/> interrupts it: no new steps, steps in flight
    /// cancelled, what was measured written, marked partial (<see cref="ExitCodes.Interrupted"/>).
    /// </summary>
    /// <param name="output">Where the live progress and the closing summary go; none when null.</param>
    /// <exception cref="LoadRunException">The run cannot start (no server answered, the results folder cannot be written).</exception>
    /// <exception cref="RunInterruptedException">Interrupted before its load started: nothing was measured.</exception>
    public async Task<RunOutcome> RunAsync(TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        Validate();
        var display = ProgressDisplay.Create(output ?? TextWriter.Null, isTerminal: false);
        var settings = Settings with { Call = Settings.Call with { Description = Settings.Call.Description ?? DefaultCallDescription } };
        var run = new LoadRun(settings, display)
        {
            Driver = (channel, recorder, runAborted) => new StepDriver(Step, channel.CreateCallInvoker(), settings.Call, recorder, runAborted),
        };
        var outcome = await run.ExecuteAsync(cancellationToken);

        // Also when interrupted: the pages are made from result.json alone.
        RunReportWriter.Write(outcome.Result, Path.GetDirectoryName(outcome.ResultPath)!);
        output?.Write(SummaryText.Render(outcome.Result, outcome.ResultPath));
        return outcome;
    }

    /// <summary>
    /// Runs the scenario from a console app: Ctrl-C or SIGTERM interrupts it (keeping a partial result; a second one
    /// ends the process at once), the summary goes to the console, and what cannot run is one line on standard error.
    /// Returns <c>loadgen run</c>'s exit code.
    /// </summary>
    public async Task<int> RunInConsoleAsync()
    {
        using var interrupt = new CancellationTokenSource();
        void Interrupt(PosixSignalContext context)
        {
            if (!interrupt.IsCancellationRequested)
            {
                context.Cancel = true;
                _ = interrupt.CancelAsync();
            }
        }

        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        try
        {
            var outcome = await RunAsync(Console.Out, interrupt.Token);
            return outcome.ExitCode;
        }
        catch (Exception e) when (e is ScenarioException or LoadRunException or BalancerConfigurationException)
        {
            await Console.Error.WriteLineAsync($"loadgen: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (RunInterruptedException e)
        {
            await Console.Error.WriteLineAsync($"loadgen: {e.Message}");
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>The file's checks, and what a C# scenario does not take: a call described in data, and faults on processes.</summary>
    private void Validate()
    {
        ArgumentNullException.ThrowIfNull(Settings);
        ArgumentNullException.ThrowIfNull(Step);
        var source = $"the C# scenario '{Settings.Name}'";
        ScenarioValidator.Validate(Settings, source);
        if (Settings.Call != new CallSpec { Deadline = Settings.Call.Deadline, Description = Settings.Call.Description })
        {
            throw new ScenarioException(source, "$.call", "a C# scenario's calls are its step: of call only the deadline and the description apply — set only Call = new CallSpec { Deadline = ..., Description = ... }");
        }

        if (Settings.Faults.Any(fault => fault.ActsOnProcess()))
        {
            throw new ScenarioException(source, "$.faults", "kill, terminate and restart need the fleet script, which a C# scenario does not take: use slow or fail faults, or run it from a scenario file with loadgen run");
        }
    }
}
