using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Storage;

namespace SiteSync.Central.Sync;

/// <summary>Schedules the delivery of whole stores to a site (initialise, store move) as snapshots over the record table.</summary>
public sealed class StoreDelivery(SiteSyncDbContext db, TimeProvider time)
{
    /// <summary>Queues every record of <paramref name="storeId"/> (store and central-store data) to the site, in O(1):
    /// one snapshot row bounded by the current record sequence. Later changes reach the site through its queue.</summary>
    /// <remarks>Reads the bound under the counter's lock, so writers that reserved sequence numbers before have committed
    /// (their records are inside the bound) and writers after can only get numbers above it.</remarks>
    public async Task DeliverStoreAsync(int siteId, string storeId, CancellationToken cancellationToken)
    {
        var upper = await Counters.ReserveAsync(db, Counters.RecordSeq, 1, cancellationToken);
        // One index-only count, so every later page can report queueLength without counting again.
        var remaining = await db.Records.LongCountAsync(r => r.StoreId == storeId && !r.IsDeleted && r.Seq <= upper, cancellationToken);
        var existing = await db.Snapshots.FirstOrDefaultAsync(s => s.SiteId == siteId && s.StoreId == storeId, cancellationToken);
        if (existing is null)
        {
            db.Snapshots.Add(new SnapshotEntity
            {
                SiteId = siteId, StoreId = storeId, UpperSeq = upper, CursorSeq = 0, Remaining = remaining, CreatedAt = time.GetUtcNow(),
            });
        }
        else
        {
            existing.UpperSeq = upper;
            existing.CursorSeq = 0;
            existing.Remaining = remaining;
            existing.CreatedAt = time.GetUtcNow();
        }
    }

    /// <summary>Stops delivering a store to a site it has left.</summary>
    public Task StopDeliveringAsync(int siteId, string storeId, CancellationToken cancellationToken) =>
        db.Snapshots.Where(s => s.SiteId == siteId && s.StoreId == storeId).ExecuteDeleteAsync(cancellationToken);
}
