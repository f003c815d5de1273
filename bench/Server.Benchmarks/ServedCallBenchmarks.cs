using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Grpc.Net.Client;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Hosting;
using Microsoft.AspNetCore.Builder;

namespace GrpcLoadLab.Server.Benchmarks;

/// <summary>
/// What a served unary call allocates, end to end: a real lab server on loopback (its timeline listening, nobody
/// watching, as in every run) and a real gRPC client in this process, <see cref="Workers"/> callers at once. The
/// allocated bytes are the process's, client and server together; the client's share is the same in every row and at
/// every commit, so a difference between rows or commits is the server's. What the server does once a second (closing
/// its timeline's second) is in it too, shared by the calls of that second: many callers keep that share small. <see cref="HostingMeterListened"/> adds a listener on ASP.NET
/// Core's hosting meter, as an export does and as the timeline did until it stopped listening there: what that meter
/// costs every request once anyone listens. Only public types the server has had since before its timeline
/// (<c>5c618aa</c>) are used, so that the same file measures that commit.
/// </summary>
[MemoryDiagnoser]
public class ServedCallBenchmarks
{
    private const int Workers = 32;
    private const int CallsPerWorker = 64;
    private const string HostingMeter = "Microsoft.AspNetCore.Hosting";

    private readonly WorkRequest _request = new() { ReplySize = 16 };
    private WebApplication _app = null!;
    private GrpcChannel _channel = null!;
    private LoadLab.LoadLabClient _client = null!;

    [Params(false, true)]
    public bool HostingMeterListened { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _app = LabServerHost.Build(new ServerOptions { Port = 0 });
        await _app.StartAsync();
        if (HostingMeterListened)
        {
            // Enabled with no callback: the instruments do all their per-request work, and the listener drops it.
            var hostingListener = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == HostingMeter)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            hostingListener.Start();
            _app.Lifetime.ApplicationStopped.Register(hostingListener.Dispose);
        }

        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{LabServerHost.BoundPort(_app)}");
        _client = new LoadLab.LoadLabClient(_channel);
        // The connection opens here, not in the first measured call.
        await _client.UnaryAsync(_request);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _channel.Dispose();
        await _app.DisposeAsync();
    }

    [Benchmark(OperationsPerInvoke = Workers * CallsPerWorker)]
    public Task ServeUnaryCalls() => Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => CallAsync()));

    private async Task CallAsync()
    {
        for (var call = 0; call < CallsPerWorker; call++)
        {
            await _client.UnaryAsync(_request);
        }
    }
}
