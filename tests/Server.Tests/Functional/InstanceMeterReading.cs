using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using GrpcLoadLab.Server.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcLoadLab.Server.Tests.Functional;

/// <summary>
/// Every measurement of one meter of one test instance (by default the lab's own, <c>GrpcLoadLab.Server</c>), read with
/// a <see cref="MeterListener"/> as any consumer would; the instruments of other instances in the process (tests
/// beside this one) are left out.
/// </summary>
internal sealed class InstanceMeterReading : IDisposable
{
    private readonly MeterListener _listener = new();

    public InstanceMeterReading(TestServer server, string meterName = ServerInstruments.MeterName)
    {
        var factory = server.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public ConcurrentQueue<Measurement> Measurements { get; } = new();

    /// <summary>The measurements of one instrument whose tags include every one of <paramref name="tags"/>.</summary>
    public IReadOnlyList<Measurement> Of(string instrument, params (string Key, object Value)[] tags) =>
        [.. Measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)))];

    public double Sum(string instrument, params (string Key, object Value)[] tags) => Of(instrument, tags).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copied = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copied[tag.Key] = tag.Value;
        }

        Measurements.Enqueue(new Measurement(instrument.Name, value, copied));
    }

    public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);
}
