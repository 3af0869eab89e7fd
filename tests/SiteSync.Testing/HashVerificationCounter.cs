using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using SiteSync.Central.Diagnostics;

namespace SiteSync.Testing;

/// <summary>Counts <c>sitesync.auth.hash_verifications</c> of one test server (its meter factory), not of others running in parallel.</summary>
public sealed class HashVerificationCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public HashVerificationCounter(TestCentral central)
    {
        var factory = central.Factory.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == SiteSyncMetrics.HashVerificationsName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
