using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Records;
using SiteSync.Central.Routing;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Catalog;

namespace SiteSync.Central.Sync;

/// <summary>Schedules everything a site needs for one of its stores, when it initialises or the store moves to it
/// (routing.md §2.8, §2.9, §3.5): the store's own data, the transfers and messages addressed to it, and the patients and
/// prescribers visible through it.</summary>
public sealed class StoreDelivery(SiteSyncDbContext db, WritePath writePath, RecordStore records, TimeProvider time)
{
    /// <summary>Queues the store's records to the site. Own data (store, central-store and visibility data, lines) goes as
    /// one snapshot over the record table, O(1) whatever the store's size; incoming transfers, messages, and the records of
    /// the patients and prescribers its joins make visible are queued by set statements.</summary>
    /// <remarks>The bound is read under the record sequence's lock (<see cref="WritePath"/>): writers that reserved numbers
    /// before have committed, so their records are inside the snapshot and visible to the set statements; writers after
    /// route by the state this transaction leaves and reach the site through its queue.</remarks>
    public async Task DeliverStoreAsync(int siteId, string storeId, CancellationToken cancellationToken)
    {
        var upper = await writePath.ReserveAsync(Counters.RecordSeq, 1, cancellationToken);
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

        // §2.8 1–2: transfers (and their lines) and messages addressed to the store, except those of the site's own stores,
        // which are its own data; at every status, history included.
        await records.EnqueueWhereAsync(siteId,
            "r.to_store_id = @store AND r.is_deleted = @false AND (r.store_id IS NULL OR r.store_id NOT IN (SELECT s.id FROM store s WHERE s.site_id = @site))",
            new Dictionary<string, object?> { ["@store"] = storeId, ["@false"] = false }, null, cancellationToken);

        await DeliverProgramIndicatorsAsync(siteId, storeId, cancellationToken);

        // §3.5, §3.6: the records about every patient and prescriber an active join of the store makes visible.
        foreach (var join in TableCatalog.Default.OfClass(DataClass.Visibility))
        {
            var subjects = RecordStore.SubjectTables(join.VisibilityOf!.Value);
            var parameters = new Dictionary<string, object?> { ["@store"] = storeId, ["@false"] = false, ["@join"] = join.Name };
            var tables = string.Join(", ", subjects.Select((table, i) => { parameters[$"@t{i}"] = table; return $"@t{i}"; }));
            await records.EnqueueWhereAsync(siteId,
                $"""
                r.table_name IN ({tables}) AND r.is_deleted = @false AND r.subject_id IN (
                    SELECT v.subject_id FROM record v
                    WHERE v.table_name = @join AND v.store_id = @store AND v.is_deleted = @false AND v.subject_id IS NOT NULL)
                """,
                parameters, null, cancellationToken);
        }
    }

    /// <summary>Q3 (<see cref="ProgramIndicators"/>): the indicator values of the open program requests addressed to the
    /// store by stores of other sites.</summary>
    private async Task DeliverProgramIndicatorsAsync(int siteId, string storeId, CancellationToken cancellationToken)
    {
        var requests = await ProgramIndicators.OpenRequestsAsync(db, "to_store_id", [storeId], cancellationToken);
        if (requests.Count == 0)
        {
            return;
        }
        var local = (await db.Stores.AsNoTracking().Where(s => s.SiteId == siteId).Select(s => s.Id).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var keys = requests.Where(r => !local.Contains(r.Store)).Select(r => (r.Store, r.Period)).Distinct().ToList();
        var values = await ProgramIndicators.ValuesAsync(db, keys, cancellationToken);
        foreach (var chunk in values.Values.SelectMany(ids => ids).Distinct(StringComparer.Ordinal).Chunk(500))
        {
            var parameters = new Dictionary<string, object?> { ["@table"] = ProgramIndicators.ValueTable };
            var names = string.Join(", ", chunk.Select((id, i) => { parameters[$"@id{i}"] = id; return $"@id{i}"; }));
            await records.EnqueueWhereAsync(siteId, $"r.table_name = @table AND r.record_id IN ({names})", parameters, null, cancellationToken);
        }
    }

    /// <summary>Stops delivering a store to a site it has left. What the site already holds stays there (routing.md §2.9 4).</summary>
    public Task StopDeliveringAsync(int siteId, string storeId, CancellationToken cancellationToken) =>
        db.Snapshots.Where(s => s.SiteId == siteId && s.StoreId == storeId).ExecuteDeleteAsync(cancellationToken);
}
