using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SiteSync.Central.Storage;

namespace SiteSync.Central.Diagnostics;

/// <summary>Reads the per-site queue depth and the number of cycles in progress from the database every
/// <see cref="TelemetryOptions.SampleInterval"/>, for the gauges of <see cref="SiteSyncMetrics"/>. Sampling keeps database work
/// off the scrape path: a scrape, however frequent, reads the last sample.</summary>
public sealed class SyncStateSampler(
    IServiceScopeFactory scopes, SiteSyncMetrics metrics, IOptions<TelemetryOptions> options, TimeProvider time,
    ILogger<SyncStateSampler> logger) : BackgroundService
{
    /// <summary>A cycle not completed within this window is counted as abandoned, not active.</summary>
    public static readonly TimeSpan CycleWindow = TimeSpan.FromMinutes(15);

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SiteSyncDbContext>();
        var queued = await db.Queue.AsNoTracking().GroupBy(q => q.SiteId)
            .Select(g => new { SiteId = g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken);
        var snapshots = await db.Snapshots.AsNoTracking().GroupBy(s => s.SiteId)
            .Select(g => new { SiteId = g.Key, Count = g.Sum(s => s.Remaining) }).ToListAsync(cancellationToken);
        var cutoff = time.GetUtcNow() - CycleWindow;
        var active = await db.Sites.AsNoTracking().LongCountAsync(s => s.CycleStartedAt != null && s.CycleStartedAt > cutoff, cancellationToken);

        // Every remote site gets a series, 0 included, so a drained queue reads 0 rather than a series that went stale.
        var depths = (await db.Sites.AsNoTracking().Where(s => !s.IsActiveOnThisDatafile).Select(s => s.Id).ToListAsync(cancellationToken))
            .ToDictionary(id => id, _ => 0L);
        foreach (var row in queued.Concat(snapshots))
        {
            depths[row.SiteId] = depths.GetValueOrDefault(row.SiteId) + row.Count;
        }
        metrics.Sampled(new SyncStateSample(
            [.. depths.OrderBy(d => d.Key).Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>(SiteSyncTracing.SiteIdTag, d.Key)))],
            active));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval, time);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is DbException or InvalidOperationException or TimeoutException)
            {
                // The database is away: the gauges keep the last sample and /ready reports the outage.
                Log.SampleFailed(logger, exception.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
