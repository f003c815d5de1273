using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using GrpcLoadLab.Contracts;
using GrpcLoadLab.Server.Metrics.Timeline;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcLoadLab.Server.Tests.Functional.Timeline;

/// <summary>
/// Which of ASP.NET Core's instruments the timeline turns on: an instrument does its per-request work only while a
/// listener has enabled it, so the timeline must leave the hosting meter's off, watched or not. Read with a
/// <see cref="MeterListener"/> of the test's own that enables nothing.
/// </summary>
public class TimelineListeningTests
{
    [Fact]
    public async Task The_hosting_meters_per_request_instruments_stay_off_while_calls_run_and_a_watcher_follows()
    {
        await using var server = await TestServer.StartAsync();
        using var watcher = new StatsWatcher(server);
        await watcher.WaitForAsync(s => s.Count >= 1, "a first second");
        for (var i = 0; i < 3; i++)
        {
            await server.Client.UnaryAsync(new WorkRequest(), cancellationToken: server.Timeout);
        }

        var instruments = InstrumentsOf(server);

        var hosting = instruments.Where(i => i.Meter.Name == ServerTimeline.HostingMeter).ToList();
        Assert.Contains(hosting, i => i.Name == "http.server.request.duration");
        Assert.Contains(hosting, i => i.Name == "http.server.active_requests");
        Assert.All(hosting, i => Assert.False(i.Enabled, $"{i.Name} is listened to"));
        // Kestrel's, which the timeline reads, are on: the test's listener sees the instance's own instruments.
        Assert.True(instruments.Single(i => i.Name == "kestrel.active_connections").Enabled);
        Assert.True(instruments.Single(i => i.Name == "kestrel.queued_requests").Enabled);
    }

    /// <summary>The instruments of this instance's meters (not of other instances in the process), as published now.</summary>
    private static List<Instrument> InstrumentsOf(TestServer server)
    {
        var factory = server.Services.GetRequiredService<IMeterFactory>();
        var published = new ConcurrentQueue<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    published.Enqueue(instrument);
                }
            },
        };
        listener.Start();
        return [.. published];
    }
}
