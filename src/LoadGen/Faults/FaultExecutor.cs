using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using GrpcLoadLab.Balancer.Targets;
using GrpcLoadLab.Balancer.Transport;
using GrpcLoadLab.Common;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.LoadGen.Fleet;
using GrpcLoadLab.LoadGen.Metrics;
using GrpcLoadLab.LoadGen.Results;
using GrpcLoadLab.LoadGen.Scenarios;
using GrpcLoadLab.LoadGen.Scenarios.Json;

namespace GrpcLoadLab.LoadGen.Faults;

/// <summary>
/// Runs a scenario's faults beside the load: each at its time from the run's start, in time order and one at a time
/// (a restart takes seconds; a fault due meanwhile waits, and its record says when it really happened). It never
/// throws into the run: a fault that fails is recorded with its error. When the load ends, or the run is
/// interrupted, faults not yet due are recorded as not run, and slow or fail faults still in force are cleared, so
/// that the fleet is left as it was found.
/// </summary>
internal sealed class FaultExecutor
{
    private readonly IReadOnlyList<FaultEvent> _faults;
    private readonly InstanceAddresses _addresses;
    private readonly FleetScript? _fleet;
    private readonly ClientTls? _tls;

    /// <summary>
    /// Throws <see cref="Balancer.BalancerConfigurationException"/> when an instance the faults name is not in the
    /// target, before any load.
    /// </summary>
    /// <param name="fleet">The fleet script; the caller makes sure there is one when a fault acts on a process.</param>
    /// <param name="tls">The target's TLS, which SetFault goes over too; null for plaintext.</param>
    public FaultExecutor(Scenario scenario, BalancerTarget target, FleetScript? fleet, ClientTls? tls)
    {
        _faults = scenario.Faults;
        _addresses = new InstanceAddresses(target);
        _fleet = fleet;
        _tls = tls;
        if (_faults.Count > 0)
        {
            // Every instance named must be in the target now; its registry may still change during the run.
            _addresses.Of(_faults.Max(f => f.Instance));
        }
    }

    /// <summary>
    /// Carries out the faults, timed from <paramref name="runStart"/> (a <see cref="Stopwatch"/> reading), until all
    /// have run or <paramref name="stop"/> (the load ended, or Ctrl-C); returns one record per fault, in the scenario's order.
    /// </summary>
    public async Task<IReadOnlyList<FaultRecord>> RunAsync(long runStart, CancellationToken stop)
    {
        var records = new FaultRecord?[_faults.Count];
        foreach (var (fault, index) in _faults.Select((fault, index) => (fault, index)).OrderBy(f => f.fault.At))
        {
            if (!await WaitUntilAsync(runStart + Ticks.FromSeconds(fault.At.TotalSeconds), stop))
            {
                break;
            }

            records[index] = await ExecuteAsync(index, fault, runStart);
        }

        // Faults that last to the end of the run end with it.
        await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var done = records.Select((record, index) => record ?? Planned(index, _faults[index], null) with { Error = "not run: the run ended before its time" }).ToList();
        await ClearFaultsInForceAsync(done, runStart);
        return done;
    }

    /// <summary>
    /// Waits until the <see cref="Stopwatch"/> reading <paramref name="due"/>, never less (a bare Task.Delay may end a
    /// millisecond early, and a fault would then be carried out before its time); false when stopped first.
    /// </summary>
    private static async Task<bool> WaitUntilAsync(long due, CancellationToken stop)
    {
        try
        {
            await AwaitedDelay.WaitAsync(TimeSpan.FromSeconds(Math.Max(0, Ticks.ToSeconds(due - Stopwatch.GetTimestamp()))), TimeProvider.System, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The load ended, or Ctrl-C: the faults not yet due are not run.
        }

        return !stop.IsCancellationRequested;
    }

    private async Task<FaultRecord> ExecuteAsync(int index, FaultEvent fault, long runStart)
    {
        string? address = null;
        string? error;
        try
        {
            address = _addresses.Of(fault.Instance);
            error = fault.ActsOnProcess() ? await RunScriptAsync(fault) : await SetAsync(address, Request(fault));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = Describe(e);
        }

        return Planned(index, fault, address) with { DoneSeconds = SecondsSince(runStart), Ok = error is null, Error = error };
    }

    /// <summary>The script's own last line when it fails (e.g. "servers.sh: instance 2 is not running"); null when it did it.</summary>
    private async Task<string?> RunScriptAsync(FaultEvent fault)
    {
        var (exitCode, lastLine) = await _fleet!.RunAsync([ScenarioJson.ActionOf(fault), fault.Instance.ToString(CultureInfo.InvariantCulture)]);
        return exitCode == 0 ? null : lastLine;
    }

    private async Task<string?> SetAsync(string address, FaultRequest request)
    {
        await ServerFaults.SetAsync(address, _tls, request);
        return null;
    }

    /// <summary>With a duration when the fault has an end, so that the server clears it itself even if loadgen dies.</summary>
    private static FaultRequest Request(FaultEvent fault)
    {
        var request = fault switch
        {
            SlowFault slow => new FaultRequest { ExtraDelayMicros = (long)slow.Delay.TotalMicroseconds },
            FailFault fail => new FaultRequest { FailureRatio = fail.Ratio, FailureStatus = (int)fail.Status },
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "not a slow or fail fault"),
        };
        if (fault.PlannedEnd() is { } until)
        {
            request.DurationMicros = (long)(until - fault.At).TotalMicroseconds;
        }

        return request;
    }

    // A slow or fail fault set and not yet over by its own duration is cleared, whatever ended the run.
    private async Task ClearFaultsInForceAsync(List<FaultRecord> records, long runStart)
    {
        var now = SecondsSince(runStart);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var inForce = record is { Ok: true, Address: not null, DoneSeconds: { } done }
                && !_faults[i].ActsOnProcess()
                && (record.UntilSeconds is not { } until || done + (until - record.AtSeconds) > now);
            if (!inForce)
            {
                continue;
            }

            try
            {
                await ServerFaults.SetAsync(record.Address!, _tls, ServerFaults.Clear);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                records[i] = record with { Ok = false, Error = $"set, but not cleared at the end of the run ({Describe(e)}): clear it with SetFault and all zeros" };
            }
        }
    }

    private static FaultRecord Planned(int index, FaultEvent fault, string? address) => new(
        index,
        ScenarioJson.ActionOf(fault),
        fault.Instance,
        address,
        Detail(fault),
        fault.At.TotalSeconds,
        fault.PlannedEnd()?.TotalSeconds,
        DoneSeconds: null,
        Ok: false,
        Error: null);

    private static string Detail(FaultEvent fault) => fault switch
    {
        KillFault => "SIGKILL (kill -9)",
        TerminateFault => "SIGTERM: drains, then exits",
        RestartFault => "started again on its port",
        SlowFault slow => $"+{DurationJsonConverter.Format(slow.Delay)} a call",
        FailFault fail => string.Create(CultureInfo.InvariantCulture, $"{fail.Ratio * 100:0.##}% of calls fail {StatusNames.Of(fail.Status)}"),
        _ => string.Empty,
    };

    private static string Describe(Exception e) => e is RpcException rpc ? $"{StatusNames.Of(rpc.StatusCode)}: {rpc.Status.Detail}" : e.Message;

    private static double SecondsSince(long runStart) => Math.Round(Ticks.ToSeconds(Stopwatch.GetTimestamp() - runStart), 3);
}
