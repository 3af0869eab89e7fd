using System.Diagnostics.Metrics;

namespace SiteSync.Central.Diagnostics;

/// <summary>What <see cref="SyncStateSampler"/> read from the database last.</summary>
public sealed record SyncStateSample(IReadOnlyList<Measurement<long>> QueueDepths, long ActiveCycles)
{
    public static readonly SyncStateSample Empty = new([], 0);
}
