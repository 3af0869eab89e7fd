using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Logs;
using SiteSync.Central.Records;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

/// <summary>Receives a site's pushed batches into its buffer and integrates the buffer when the final empty batch arrives
/// (reference §2.4, §4.7 rule 5). Every batch is idempotent: the buffer is keyed by record, so a repeated batch
/// overwrites what it wrote before, and a repeated final batch finds an empty buffer.</summary>
public sealed class PushService(SiteSyncDbContext db, RecordStore records, SiteLog siteLog, TimeProvider time, ILogger<PushService> logger)
{
    private const int MaxRejectionLines = 20;

    private const string BufferSql = """
        INSERT INTO push_buffer (site_id, table_name, record_id, action, data, received_seq, received_at)
        VALUES (@site, @table, @record, @action, @data, @seq, @at)
        ON CONFLICT (site_id, table_name, record_id) DO UPDATE SET
            action = excluded.action, data = excluded.data, received_seq = excluded.received_seq, received_at = excluded.received_at
        """;

    /// <summary>Buffers a batch; on the final batch integrates everything buffered. Returns whether integration started.</summary>
    public async Task<bool> ReceiveAsync(int siteId, RemoteSyncBatch batch, CancellationToken cancellationToken)
    {
        var data = batch.Data ?? [];
        if (data.Count > 0)
        {
            await BufferAsync(siteId, data, cancellationToken);
        }
        if (batch.QueueLength > 0)
        {
            return false;
        }
        await db.Sites.Where(s => s.Id == siteId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.IntegrationStatus, SiteStatusCodes.IntegrationInProgress), cancellationToken);
        await IntegrateAsync(siteId, cancellationToken);
        return true;
    }

    private async Task BufferAsync(int siteId, IReadOnlyList<RemoteSyncRecord> data, CancellationToken cancellationToken)
    {
        FailPoints.Hit("push.before_tx");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await SiteLock.AcquireAsync(db, siteId, cancellationToken);
        await using var command = SqlCommands.Create(db, BufferSql);
        command.Add("@site", siteId);
        var table = command.Add("@table", null);
        var record = command.Add("@record", null);
        var action = command.Add("@action", null);
        var json = command.Add("@data", null);
        var seq = command.Add("@seq", null);
        var now = time.GetUtcNow();
        command.Add("@at", db.ToDbTime(now));
        // Arrival order within and across batches (under the site lock): the later of two versions of a record wins.
        await using var last = SqlCommands.Create(db, "SELECT COALESCE(MAX(received_seq), 0) FROM push_buffer WHERE site_id = @site");
        last.Add("@site", siteId);
        var first = Convert.ToInt64(await last.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) + 1;
        for (var i = 0; i < data.Count; i++)
        {
            var item = data[i];
            table.Value = item.TableName;
            record.Value = item.RecordId;
            action.Value = SyncActions.Normalise(item.Action)!;
            json.Value = item.RecordData is { } raw && action.Value is not SyncActions.Delete ? raw.Text : DBNull.Value;
            seq.Value = first + i;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        FailPoints.Hit("push.after_apply_before_commit");
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Integrates the site's buffer in one transaction: store data of stores active on the site is written to
    /// central (never echoed back to the site); everything else is rejected and logged, never silently dropped.</summary>
    public async Task IntegrateAsync(int siteId, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await SiteLock.AcquireAsync(db, siteId, cancellationToken);
        // Take the record-sequence lock before reading store ownership: a store move either committed before (and this
        // integration sees the store gone) or waits until this commits (and its delivery includes these records).
        await Counters.ReserveAsync(db, Counters.RecordSeq, 1, cancellationToken);

        var catalog = TableCatalog.Default;
        var buffered = (await db.PushBuffer.AsNoTracking().Where(b => b.SiteId == siteId).ToListAsync(cancellationToken))
            .OrderBy(b => catalog[b.TableName].Order).ThenBy(b => b.ReceivedSeq).ToList();
        var activeStores = (await db.Stores.AsNoTracking().Where(s => s.SiteId == siteId).Select(s => s.Id).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);

        List<RecordWrite> writes = [];
        List<string> rejections = [];
        var unknownTables = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var written = new Dictionary<(string, string), string?>();
        foreach (var row in buffered)
        {
            var table = catalog[row.TableName];
            switch (table.Class)
            {
                case DataClass.Unknown:
                    // Kept (so nothing is lost) but routed nowhere, and reported once per table.
                    writes.Add(new RecordWrite(row.TableName, row.RecordId, row.Action == SyncActions.Delete ? null : row.Data, null));
                    unknownTables[row.TableName] = unknownTables.GetValueOrDefault(row.TableName) + 1;
                    continue;
                case DataClass.Central or DataClass.CentralStore:
                    rejections.Add($"{row.TableName} '{row.RecordId}': {(table.Class == DataClass.Central ? "central" : "central-store")} data is edited on central only.");
                    continue;
            }
            if (row.Action == SyncActions.Merge)
            {
                rejections.Add($"{row.TableName} '{row.RecordId}': remote sites do not merge records.");
                continue;
            }

            string? storeId;
            if (row.Action == SyncActions.Delete)
            {
                storeId = (await records.FindAsync(row.TableName, row.RecordId, cancellationToken))?.StoreId;
                if (storeId is null)
                {
                    continue; // Deleting what central never had: nothing to do, nothing lost.
                }
            }
            else
            {
                using var document = JsonDocument.Parse(row.Data!);
                var owner = RecordOwnership.OwnerOf(table, document.RootElement);
                storeId = owner.StoreId;
                if (owner.IsParent)
                {
                    // Parents pushed in this batch are known; others are looked up once each (a stocktake has thousands of lines).
                    var parent = (owner.ParentTable!, owner.ParentId!);
                    if (!written.TryGetValue(parent, out storeId))
                    {
                        storeId = await records.StoreOfAsync(parent.Item1, parent.Item2, cancellationToken);
                        written[parent] = storeId;
                    }
                }
            }
            if (storeId is null || !activeStores.Contains(storeId))
            {
                rejections.Add(storeId is null
                    ? $"{row.TableName} '{row.RecordId}': its store could not be determined (missing store field or unknown parent)."
                    : $"{row.TableName} '{row.RecordId}': store '{storeId}' is not active on this site.");
                continue;
            }
            writes.Add(new RecordWrite(row.TableName, row.RecordId, row.Action == SyncActions.Delete ? null : row.Data, storeId));
            written[(row.TableName, row.RecordId)] = storeId;
        }

        await records.WriteAsync(writes, siteId, cancellationToken);
        FailPoints.Hit("integrate.mid_tx");
        await db.PushBuffer.Where(b => b.SiteId == siteId).ExecuteDeleteAsync(cancellationToken);
        var accepted = writes.Count - unknownTables.Values.Sum();
        await db.Sites.Where(s => s.Id == siteId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.IntegrationStatus, SiteStatusCodes.Idle)
            .SetProperty(x => x.CyclePushed, x => x.CyclePushed + accepted), cancellationToken);

        foreach (var (tableName, count) in unknownTables)
        {
            siteLog.Add(siteId, SiteLogLevels.Warning, SiteLogEvents.UnknownTable,
                $"Table '{Truncate(tableName)}' is not in the catalog: {count} record(s) kept on central but not routed to any site.");
        }
        foreach (var rejection in rejections.Take(MaxRejectionLines))
        {
            siteLog.Add(siteId, SiteLogLevels.Error, SiteLogEvents.RecordRejected, $"Rejected {rejection}");
        }
        if (rejections.Count > MaxRejectionLines)
        {
            siteLog.Add(siteId, SiteLogLevels.Error, SiteLogEvents.RecordRejected,
                $"… and {rejections.Count - MaxRejectionLines} more rejected record(s) in this push.");
        }
        if (buffered.Count > 0)
        {
            siteLog.Add(siteId, SiteLogLevels.Info, SiteLogEvents.Integrated, string.Create(CultureInfo.InvariantCulture,
                $"Push integrated: {accepted} accepted, {unknownTables.Values.Sum()} of unknown tables kept, {rejections.Count} rejected, in {watch.ElapsedMilliseconds} ms."));
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.PushIntegrated(logger, siteId, writes.Count, rejections.Count, watch.ElapsedMilliseconds);
    }

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
