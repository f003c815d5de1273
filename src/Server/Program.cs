using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using GrpcLoadLab.Server.Hosting;
using Microsoft.AspNetCore.Connections;

// One lab server instance. Exit codes: 0 stopped cleanly, 2 bad input (a flag, a value, a port in use).
var root = ServerCommandLine.Create(RunServerAsync);
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    Console.Error.WriteLine($"server: {parse.Errors[0].Message} (run with --help for usage)");
    return 2;
}

// Signals are left to the host, whose graceful stop must not be cut short by the parser's own handler.
return await parse.InvokeAsync(new() { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });

static async Task<int> RunServerAsync(ServerOptions options, CancellationToken cancellationToken)
{
    WebApplication app;
    try
    {
        app = LabServerHost.Build(options);
    }
    catch (ServerOptionsException e)
    {
        Console.Error.WriteLine($"server: {e.Message}");
        return 2;
    }

    if (!IPAddress.IsLoopback(options.Address))
    {
        Console.Error.WriteLine($"server: warning: listening on {options.Address}, which other machines may reach; the lab is meant for 127.0.0.1");
    }

    try
    {
        await app.StartAsync(cancellationToken);
    }
    catch (IOException e) when (e.InnerException is AddressInUseException)
    {
        var ports = options.PrometheusPort is { } scrape ? $"port {options.Port} (--port) or {scrape} (--prometheus)" : $"port {options.Port}";
        Console.Error.WriteLine($"server: {ports} on {options.Address} is already in use: stop what uses it, or choose another port");
        return 2;
    }

    var capacity = options.Capacity == 0 ? "unlimited" : $"{options.Capacity} (queue {options.EffectiveQueueLimit})";
    // Said at start: an instance that lets any client make it fail must not pass for an ordinary one.
    var faults = options.AllowFaults ? ", faults allowed (SetFault)" : string.Empty;
    Console.WriteLine($"server: {app.Services.GetRequiredService<InstanceIdentity>().Id} listening on {(options.UsesTls ? "https" : "http")}://{options.Address}:{LabServerHost.BoundPort(app)} ({Transport(options)}), capacity {capacity}{faults}, pid {Environment.ProcessId}");

    if (options.ExportsMetrics)
    {
        var exports = new List<string>();
        if (MetricsExport.ScrapePort(app, options) is { } scrapePort)
        {
            exports.Add($"Prometheus scrape at http://{options.Address}:{scrapePort}{MetricsExport.ScrapePath}");
        }

        if (options.OtlpEndpoint is { } otlp)
        {
            exports.Add($"OTLP (gRPC) to {otlp} every {DurationRange.Format(options.OtlpInterval ?? ServerOptions.DefaultOtlpInterval)}");
        }

        Console.WriteLine($"server: metrics: {string.Join(", ", exports)}");
    }

    // The host turns the first SIGTERM or Ctrl-C into the graceful stop; a second one means "now".
    var signals = 0;
    using var forceOnSecondSignal = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    using var forceOnSecondInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

    // Returns once the graceful stop has run to its end.
    await app.WaitForShutdownAsync(CancellationToken.None);
    await app.DisposeAsync();
    Console.WriteLine("server: stopped");
    return 0;

    static string Transport(ServerOptions options) =>
        !options.UsesTls ? "h2c" : options.ClientCaFile is null ? "TLS" : "TLS, client certificates required";

    void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref signals) > 1)
        {
            Console.Error.WriteLine("server: second signal: stopping at once, without draining");
            // Not Environment.Exit: the host would wait for its own graceful stop to finish.
            Process.GetCurrentProcess().Kill();
        }
    }
}
