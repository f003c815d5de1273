using System.Globalization;
using System.Text.Json;
using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.LoadGen.Scenarios.Thresholds;

namespace GrpcLoadLab.LoadGen.Scenarios;

/// <summary>
/// The checks a well-formed scenario must still pass before it runs; the first failure is thrown as a
/// <see cref="ScenarioException"/> naming the JSON path of the bad value.
/// </summary>
internal sealed class ScenarioValidator(string source) : PathValidator(source)
{
    public static void Validate(Scenario scenario, string source) =>
        new ScenarioValidator(source).Check(scenario);

    private void Check(Scenario scenario)
    {
        Expect("$", nameof(Scenario.Name), ScenarioRules.Name(scenario.Name));
        CheckTarget(At("$", nameof(Scenario.Target)), scenario.Target);
        CheckCall(At("$", nameof(Scenario.Call)), scenario.Call);
        CheckPhases(At("$", nameof(Scenario.Phases)), scenario.Phases);
        CheckThresholds(At("$", nameof(Scenario.Thresholds)), scenario.Thresholds);
        Expect(At("$", nameof(Scenario.Report)), nameof(ReportSpec.Directory), ScenarioRules.NotEmpty(scenario.Report.Directory, "reports"));
        Expect("$", nameof(Scenario.MaxOutstanding), Limits.MaxOutstanding.Problem(scenario.MaxOutstanding));
        CheckFaults(At("$", nameof(Scenario.Faults)), scenario);
    }

    private void CheckTarget(string path, TargetSpec target)
    {
        if (target.ConnectionsPerEndpoint is { } connections)
        {
            Expect(path, nameof(TargetSpec.ConnectionsPerEndpoint), Limits.ConnectionsPerEndpoint.Problem(connections));
        }

        if (target.HedgingDelay is { } delay)
        {
            Expect(path, nameof(TargetSpec.HedgingDelay), Limits.Positive(delay, Limits.LongestWork));
        }

        if (target.DnsRefresh is { } refresh)
        {
            Expect(path, nameof(TargetSpec.DnsRefresh), target.Address.Kind == TargetKind.Dns
                ? Limits.DnsRefresh(refresh)
                : $"is how often a dns: name is resolved again, and {target.Address.Text} is not one: drop it, or target dns:HOST:PORT");
        }

        if (target.Tls?.FindProblem() is { } tls)
        {
            Expect(At(path, nameof(TargetSpec.Tls)), tls.Member, tls.Problem);
        }
    }

    private void CheckCall(string path, CallSpec call)
    {
        Expect(path, nameof(CallSpec.RequestSize), ScenarioRules.Size(call.RequestSize));
        Expect(path, nameof(CallSpec.ReplySize), ScenarioRules.Size(call.ReplySize));
        Expect(path, nameof(CallSpec.Replies), Limits.Messages.Problem(call.Replies));
        Expect(path, nameof(CallSpec.Messages), Limits.Messages.Problem(call.Messages));
        Expect(path, nameof(CallSpec.MessageInterval), ScenarioRules.Work(call.MessageInterval));
        Expect(path, nameof(CallSpec.Delay), ScenarioRules.Work(call.Delay));
        Expect(path, nameof(CallSpec.Cpu), ScenarioRules.Work(call.Cpu));
        Expect(path, nameof(CallSpec.Deadline), ScenarioRules.Duration(call.Deadline));
        CheckCallOfAnyService(path, call);
    }

    /// <summary>The lab's work settings and a schema's settings exclude each other: whichever is given must act.</summary>
    private void CheckCallOfAnyService(string path, CallSpec call)
    {
        var defaults = new CallSpec();
        if (call.Method is { } method)
        {
            Expect(path, nameof(CallSpec.Method), MethodName.Problem(method));
            foreach (var (key, given) in new (string, bool)[]
            {
                (nameof(CallSpec.RequestSize), call.RequestSize != defaults.RequestSize), (nameof(CallSpec.ReplySize), call.ReplySize != defaults.ReplySize),
                (nameof(CallSpec.Replies), call.Replies != defaults.Replies), (nameof(CallSpec.Delay), call.Delay != defaults.Delay),
                (nameof(CallSpec.Cpu), call.Cpu != defaults.Cpu),
            })
            {
                Expect(path, key, given ? "asks the lab's own server for work; a call of \"method\" sends its \"request\" instead: drop it" : null);
            }

            Expect(path, nameof(CallSpec.DescriptorSet), call.DescriptorSet is not null && call.Protos.Count > 0 ? "and \"protos\" are two schemas: give one" : null);
            Expect(path, nameof(CallSpec.ImportPaths), call.ImportPaths.Count > 0 && call.Protos.Count == 0 ? "are where the imports of \"protos\" are looked for: give \"protos\" too" : null);
            Expect(path, nameof(CallSpec.Requests), call.Requests is not null && call.Request is not null ? "and \"request\" are two sources of requests: give one" : null);
            Expect(path, nameof(CallSpec.RandomRequests), call.RandomRequests && call.Requests is null ? "picks among the lines of \"requests\": give \"requests\" too" : null);
            Expect(path, nameof(CallSpec.Expect), call.Expect.Any(check => check is null) ? "holds a null: give checks such as {\"path\": \"$.name\", \"equals\": \"x\"}" : null);
        }
        else
        {
            foreach (var (key, given) in new (string, bool)[]
            {
                (nameof(CallSpec.Protos), call.Protos.Count > 0), (nameof(CallSpec.ImportPaths), call.ImportPaths.Count > 0),
                (nameof(CallSpec.DescriptorSet), call.DescriptorSet is not null), (nameof(CallSpec.Request), call.Request is not null),
                (nameof(CallSpec.Requests), call.Requests is not null), (nameof(CallSpec.RandomRequests), call.RandomRequests),
                (nameof(CallSpec.Metadata), call.Metadata.Count > 0), (nameof(CallSpec.Expect), call.Expect.Count > 0),
            })
            {
                Expect(path, key, given ? "belongs to a call of any service's \"method\" (package.Service/Method), which the call does not name: add \"method\", or drop it" : null);
            }
        }
    }

    private void CheckPhases(string path, IReadOnlyList<LoadPhase> phases)
    {
        for (var i = 0; i < phases.Count; i++)
        {
            CheckPhase(string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), phases[i]);
        }

        if (!phases.Any(phase => !phase.Warmup && phase.MakesCalls))
        {
            Fail(path, "has nothing to measure — add a phase that is not a warm-up or a pause, e.g. {\"type\": \"constant-concurrency\", \"concurrency\": 16, \"duration\": \"10s\"}");
        }
    }

    private void CheckPhase(string path, LoadPhase phase)
    {
        if (phase.Name is not null)
        {
            Expect(path, nameof(LoadPhase.Name), ScenarioRules.NotEmpty(phase.Name, "steady"));
        }

        foreach (var (member, problem) in phase.Problems())
        {
            Expect(path, member, problem);
        }
    }

    private void CheckThresholds(string path, IReadOnlyList<string> thresholds)
    {
        for (var i = 0; i < thresholds.Count; i++)
        {
            var item = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            var text = thresholds[i];
            if (text is null)
            {
                Fail(item, "must not be null — write a threshold such as \"p99 < 50ms\"");
            }

            if (!Threshold.TryParse(text, out _, out var error))
            {
                Fail(item, error!);
            }
        }
    }

    private void CheckFaults(string path, Scenario scenario)
    {
        var runLength = scenario.Phases.Aggregate(TimeSpan.Zero, (sum, phase) => sum + phase.PlannedDuration);
        var faults = scenario.Faults;
        for (var i = 0; i < faults.Count; i++)
        {
            var item = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            var fault = faults[i];
            Expect(item, nameof(FaultEvent.Instance), ScenarioRules.Instance(fault.Instance));
            Expect(item, nameof(FaultEvent.At), ScenarioRules.FaultAt(fault.At, runLength));
            switch (fault)
            {
                case SlowFault slow:
                    Expect(item, nameof(slow.Delay), ScenarioRules.FaultDelay(slow.Delay));
                    CheckUntil(item, slow.Until, fault.At);
                    break;
                case FailFault fail:
                    Expect(item, nameof(fail.Ratio), ScenarioRules.FailureRatio(fail.Ratio));
                    Expect(item, nameof(fail.Status), ScenarioRules.FailureStatus(fail.Status));
                    CheckUntil(item, fail.Until, fault.At);
                    break;
            }

            Expect(item, "action", ScenarioRules.FaultTarget(ScenarioJson.ActionOf(fault), fault.ActsOnProcess(), scenario.Target.Address));
        }

        CheckNoOverlap(path, faults, runLength);
    }

    private void CheckUntil(string item, TimeSpan? until, TimeSpan at)
    {
        if (until is { } end)
        {
            Expect(item, "until", ScenarioRules.FaultUntil(end, at));
        }
    }

    // An instance holds one slow or fail fault at a time: a second one would replace the first on the server, which
    // would then end early and unseen.
    private void CheckNoOverlap(string path, IReadOnlyList<FaultEvent> faults, TimeSpan runLength)
    {
        var behaviours = faults
            .Select((fault, index) => (Fault: fault, Index: index, Until: fault.PlannedEnd()))
            .Where(f => !f.Fault.ActsOnProcess())
            .GroupBy(f => f.Fault.Instance);
        foreach (var instance in behaviours)
        {
            var ordered = instance.OrderBy(f => f.Fault.At).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var (previous, current) = (ordered[i - 1], ordered[i]);
                if (current.Fault.At < (previous.Until ?? runLength))
                {
                    Fail(
                        string.Create(CultureInfo.InvariantCulture, $"{path}[{current.Index}].at"),
                        string.Create(CultureInfo.InvariantCulture, $"overlaps {path}[{previous.Index}] on instance {current.Fault.Instance}: an instance holds one slow or fail fault at a time — start this one after that one's until"));
                }
            }
        }
    }
}
