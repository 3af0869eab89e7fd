using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SiteSync.Central.Diagnostics;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Support;

/// <summary>Every measurement of one test server's <c>SiteSync.Central</c> meter (its meter factory is the scope, so servers of
/// tests running in parallel are not heard).</summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricsRecorder(CentralFactory factory)
    {
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SiteSyncMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Asks the observable gauges for their values now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    /// <summary>The sum of an instrument's measurements whose tags include every pair of <paramref name="tags"/>.</summary>
    public double Sum(string name, params (string Key, object? Value)[] tags) =>
        Matching(name, tags).Sum(m => m.Value);

    /// <summary>How many measurements an instrument recorded (a histogram's count).</summary>
    public int Count(string name, params (string Key, object? Value)[] tags) => Matching(name, tags).Count();

    public IReadOnlyList<(double Value, Dictionary<string, object?> Tags)> All(string name) =>
        [.. _measurements.Where(m => m.Name == name).Select(m => (m.Value, m.Tags))];

    public void Dispose() => _listener.Dispose();

    private IEnumerable<(string Name, double Value, Dictionary<string, object?> Tags)> Matching(string name, (string Key, object? Value)[] tags) =>
        _measurements.Where(m => m.Name == name && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)));

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }
        _measurements.Enqueue((instrument.Name, value, copy));
    }
}
