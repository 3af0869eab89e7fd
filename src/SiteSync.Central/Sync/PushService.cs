using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using SiteSync.Central.Diagnostics;
using SiteSync.Central.Logs;
using SiteSync.Central.Records;
using SiteSync.Central.Routing;
using SiteSync.Central.Sites;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

/// <summary>Receives a site's pushed batches into its buffer and integrates the buffer when the final empty batch arrives
/// (reference §2.4, §4.7 rule 5). Every batch is idempotent: the buffer is keyed by record, so a repeated batch
/// overwrites what it wrote before, and a repeated final batch finds an empty buffer.</summary>
public sealed class PushService(
    SiteSyncDbContext db, WritePath writePath, RecordStore records, SiteLog siteLog, SiteSyncMetrics metrics, IdleCycles idleCycles,
    PushFacts pushFacts, TimeProvider time, ILogger<PushService> logger)
{
    private const int MaxRejectionLines = 20;

    private const string BufferInsert =
        "INSERT INTO push_buffer (site_id, table_name, record_id, action, data, received_seq, source_seq, received_at)";

    private const string BufferConflict = """
        ON CONFLICT (site_id, table_name, record_id) DO UPDATE SET
            action = excluded.action, data = excluded.data, received_seq = excluded.received_seq,
            source_seq = excluded.source_seq, received_at = excluded.received_at
        WHERE excluded.source_seq IS NULL OR push_buffer.source_seq IS NULL OR excluded.source_seq >= push_buffer.source_seq
        """;

    /// <summary>Buffers a batch; on the final batch integrates everything buffered. Returns whether integration started.</summary>
    /// <param name="site">The pushing site's row as authentication read it for this request.</param>
    /// <param name="batch">The batch.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<bool> ReceiveAsync(SiteEntity site, RemoteSyncBatch batch, CancellationToken cancellationToken)
    {
        var siteId = site.Id;
        var data = batch.Data ?? [];
        if (data.Count > 0)
        {
            await BufferAsync(siteId, data, cancellationToken);
        }
        if (batch.QueueLength > 0)
        {
            return false;
        }
        // The status as this request found it: an integration that began since (the site's own, repeated push) found the same
        // buffer, and the one that finishes last finds it empty.
        if (site.IntegrationStatus != SiteStatusCodes.IntegrationInProgress && !await db.PushBuffer.AnyAsync(b => b.SiteId == siteId, cancellationToken))
        {
            // An idle cycle's push: nothing to integrate, so nothing to write (no status flip, no lock).
            return true;
        }
        // A cycle that began quiet (its start not written, IdleCycles) gets one now: it pushed, so it logs a line of its own.
        var quietStart = idleCycles.TakeStart(siteId) ?? site.LastSyncedAt;
        await db.Sites.Where(s => s.Id == siteId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.IntegrationStatus, SiteStatusCodes.IntegrationInProgress)
            .SetProperty(x => x.CycleStartedAt, x => x.CycleStartedAt ?? quietStart), cancellationToken);
        await IntegrateAsync(siteId, cancellationToken);
        return true;
    }

    private async Task BufferAsync(int siteId, IReadOnlyList<RemoteSyncRecord> data, CancellationToken cancellationToken)
    {
        FailPoints.Hit("push.before_tx");
        await using var transaction = await writePath.BeginForSiteAsync(siteId, cancellationToken);
        var now = db.ToDbTime(time.GetUtcNow());
        // Arrival order within and across batches (under the site lock): the later of two versions of a record wins.
        await using var last = SqlCommands.Create(db, "SELECT COALESCE(MAX(received_seq), 0) FROM push_buffer WHERE site_id = @site");
        last.Add("@site", siteId);
        var next = Convert.ToInt64(await last.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) + 1;
        List<string> rejections = [];
        // One multi-row statement per 500 records; a record named twice in the batch still ends as if written row by row.
        await using var buffer = new MultiRowWriter(db, BufferInsert, BufferConflict, columns: 8, keyColumns: [1, 2],
            postgresTypes: ["integer", "text", "text", "text", "text", "bigint", "bigint", "timestamptz"]);
        // Refused here, one by one, so nothing central cannot store or read back ever reaches integration. Each record's check
        // parses it, the bulk of a batch's CPU time: spread over the cores while the remote waits for the answer. The same parse
        // reads the record's routing facts, kept for this site's integration (PushFacts), which then need not parse it again.
        var checks = Parallel(data, SyncRequestBody.CheckRecordReadingFacts);
        List<PushFacts.Kept> kept = new(data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            var item = data[i];
            if (checks[i].Reason is { } reason)
            {
                rejections.Add($"data[{i}] ({Describe(item)}): {reason}.");
                continue;
            }
            var action = SyncActions.Normalise(item.Action)!;
            var text = item.RecordData is { } raw && action is not SyncActions.Delete ? raw.Text : null;
            await buffer.AddAsync(cancellationToken, siteId, item.TableName, item.RecordId, action, text, next++, SourceSeq(item.SyncOutId), now);
            if (checks[i].Facts is { } facts && text is not null)
            {
                kept.Add(new PushFacts.Kept(item.TableName, item.RecordId, text, facts));
            }
        }
        await buffer.FlushAsync(cancellationToken);
        pushFacts.Keep(siteId, kept);
        if (rejections.Count > 0)
        {
            LogRejections(siteId, rejections, "in this batch");
            await db.SaveChangesAsync(cancellationToken);
        }
        FailPoints.Hit("push.after_apply_before_commit");
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Integrates the site's buffer. A record that fails is rejected and logged, and the rest are integrated: first
    /// all together, and if the database refuses the whole (a record slipped past every check), record by record.</summary>
    /// <remarks>Only a database that is full, busy or cannot be reached fails the integration; the buffer and the "in progress" status then
    /// stay, and the next final batch (or the next start-up) integrates them.</remarks>
    public async Task IntegrateAsync(int siteId, CancellationToken cancellationToken)
    {
        try
        {
            await IntegrateOnceAsync(siteId, isolateRecords: false, cancellationToken);
        }
        catch (Exception exception) when (StorageErrors.Classify(exception) == StorageErrorKind.RefusedData && !cancellationToken.IsCancellationRequested)
        {
            Log.IntegrationRetriedRecordByRecord(logger, exception, siteId);
            db.ChangeTracker.Clear();
            await IntegrateOnceAsync(siteId, isolateRecords: true, cancellationToken);
        }
    }

    /// <summary>Integrates the site's buffer in one transaction: every record is routed (<see cref="Router"/>) after the whole
    /// push has arrived (G3), stored as it arrived (G1), and queued to the sites its route names, never back to this site
    /// (G2), in the same transaction, before the site's status says idle (G5). Rejections are logged, never silent.</summary>
    private async Task IntegrateOnceAsync(int siteId, bool isolateRecords, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var activity = SiteSyncTracing.Source.StartActivity("integrate")?.SetTag(SiteSyncTracing.SiteIdTag, siteId);
        await using var transaction = await writePath.BeginAsync([siteId], RoutingAccess.Read, cancellationToken);

        var catalog = TableCatalog.Default;
        var buffered = (await ReadBufferAsync(siteId, cancellationToken))
            .OrderBy(b => catalog[b.TableName].Order).ThenBy(b => b.ReceivedSeq).ToList();

        List<string> rejections = [];
        List<(PushBufferEntity Row, Change Change)> changes = [];
        // Each record's facts: as read when its batch arrived, when this process still holds them for exactly the buffered text;
        // else read now (a parse), spread over the cores, then taken in the buffer's order.
        var known = pushFacts.Take(siteId);
        var read = Parallel(buffered, row => Read(catalog, row, known));
        for (var i = 0; i < buffered.Count; i++)
        {
            if (read[i].Rejection is { } rejection)
            {
                rejections.Add(rejection);
            }
            else if (read[i].Change is { } change)
            {
                changes.Add((buffered[i], change));
            }
        }

        var state = await RoutingState.LoadAsync(db, siteId, [.. changes.Select(c => c.Change)], cancellationToken);
        List<RecordWrite> writes = [];
        var unknownTables = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var ignoredDeletes = 0;
        List<string> notes = [];
        foreach (var (row, change) in changes)
        {
            var route = state.Decide(change);
            if (route.Note is { } note)
            {
                notes.Add($"{row.TableName} '{Truncate(row.RecordId)}' {note}");
            }
            if (route.Rejection is { } reason)
            {
                rejections.Add($"{row.TableName} '{row.RecordId}': {reason}.");
            }
            else if (route.Ignored)
            {
                ignoredDeletes++; // G4: a delete of a record central never had is applied to nothing and sent nowhere.
            }
            else
            {
                if (change.Table.Class == DataClass.Unknown)
                {
                    // Kept (so nothing is lost) but routed nowhere, and reported once per table.
                    unknownTables[row.TableName] = unknownTables.GetValueOrDefault(row.TableName) + 1;
                }
                writes.Add(new RecordWrite(row.TableName, row.RecordId, change.IsDelete ? null : row.Data, route));
            }
        }

        var accepted = isolateRecords
            ? await WriteOneByOneAsync(writes, siteId, transaction, rejections, cancellationToken)
            : await WriteAllAsync(writes, siteId, cancellationToken);
        FailPoints.Hit("integrate.mid_tx");
        var keptUnknown = accepted.Count(w => catalog[w.TableName].Class == DataClass.Unknown);
        var forwarded = accepted.Sum(w => w.Route.Deliveries.Count);
        var recipients = accepted.SelectMany(w => w.Route.Deliveries).Select(d => d.SiteId).Distinct().Count();
        await db.PushBuffer.Where(b => b.SiteId == siteId).ExecuteDeleteAsync(cancellationToken);
        await db.Sites.Where(s => s.Id == siteId).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.IntegrationStatus, SiteStatusCodes.Idle)
            .SetProperty(x => x.CyclePushed, x => x.CyclePushed + accepted.Count - keptUnknown), cancellationToken);

        foreach (var (tableName, count) in unknownTables)
        {
            siteLog.Add(siteId, SiteLogLevels.Warning, SiteLogEvents.UnknownTable,
                $"Table '{Truncate(tableName)}' is not in the catalog: {count} record(s) kept on central but not routed to any site.");
        }
        LogRejections(siteId, rejections, "in this push");
        if (notes.Count > 0)
        {
            // routing.md §6 Q2: one line per push, whatever the number of such transfers.
            siteLog.Add(siteId, SiteLogLevels.Warning, SiteLogEvents.TransferWithoutVisibility, string.Create(CultureInfo.InvariantCulture,
                $"{notes.Count} transfer record(s) forwarded between stores that do not see each other's names, e.g. {notes[0]}. Forwarded anyway; add the name_store_join records if the stores trade."));
        }
        if (buffered.Count > 0)
        {
            siteLog.Add(siteId, SiteLogLevels.Info, SiteLogEvents.Integrated, string.Create(CultureInfo.InvariantCulture,
                $"Push integrated: {accepted.Count - keptUnknown} accepted ({forwarded} deliveries to {recipients} other site(s)), {keptUnknown} of unknown tables kept, {rejections.Count} rejected, {ignoredDeletes} delete(s) of records central never had, in {watch.ElapsedMilliseconds} ms."));
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.PushIntegrated(logger, siteId, accepted.Count, rejections.Count, watch.ElapsedMilliseconds);
        metrics.Integrated(accepted.Count - keptUnknown, rejections.Count, watch.Elapsed);
        metrics.RecordsForwarded(forwarded);
    }

    /// <summary>A buffered record as a change to route, or why it is rejected.</summary>
    private static (Change? Change, string? Rejection) Read(TableCatalog catalog, PushBufferEntity row, PushFacts.Held known)
    {
        try
        {
            if (row.Action == SyncActions.Merge)
            {
                return (null, $"{row.TableName} '{row.RecordId}': remote sites do not merge records.");
            }
            var table = catalog[row.TableName];
            return (row.Action == SyncActions.Delete
                ? Change.Delete(table, row.RecordId)
                : Change.Upsert(known.Find(row.TableName, row.RecordId, row.Data) ?? ReadChecked(table, row)), null);
        }
        catch (Exception exception) when (exception is InvalidOperationException or JsonException or FormatException)
        {
            // A record buffered before the push-time checks existed, or one they missed: rejected, never fatal.
            return (null, $"{row.TableName} '{row.RecordId}': it could not be read ({exception.GetType().Name}).");
        }
    }

    /// <summary>Maps a list on every core (in order of the list), or on this thread when it is short.</summary>
    private static TResult[] Parallel<TSource, TResult>(IReadOnlyList<TSource> source, Func<TSource, TResult> map)
    {
        var results = new TResult[source.Count];
        if (source.Count < 256)
        {
            for (var i = 0; i < source.Count; i++)
            {
                results[i] = map(source[i]);
            }
            return results;
        }
        System.Threading.Tasks.Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, source.Count, 256), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                results[i] = map(source[i]);
            }
        });
        return results;
    }

    /// <summary>The site's buffer, what integration needs of it, read without EF's materialisation (50,000 rows of a push).</summary>
    private async Task<List<PushBufferEntity>> ReadBufferAsync(int siteId, CancellationToken cancellationToken)
    {
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        await using var command = SqlCommands.Create(db, "SELECT table_name, record_id, action, data, received_seq FROM push_buffer WHERE site_id = @site");
        command.Add("@site", siteId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        List<PushBufferEntity> rows = [];
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PushBufferEntity
            {
                SiteId = siteId,
                TableName = reader.GetString(0),
                RecordId = reader.GetString(1),
                Action = reader.GetString(2),
                Data = reader.IsDBNull(3) ? null : reader.GetString(3),
                ReceivedSeq = reader.GetInt64(4),
            });
        }
        return rows;
    }

    /// <summary>The facts of the buffered data, checked again in the same parse: a buffer written by an older version may hold
    /// what push now refuses.</summary>
    private static RecordFacts ReadChecked(TableInfo table, PushBufferEntity row)
    {
        JsonDocument document;
        try
        {
            document = row.Data is { } data ? JsonDocument.Parse(data) : throw new InvalidOperationException("The buffered record has no data.");
        }
        catch (JsonException)
        {
            throw new InvalidOperationException("The buffered record cannot be stored.");
        }
        using (document)
        {
            return StorableText.Check(document.RootElement) is null
                ? RecordFacts.Read(table, row.RecordId, document.RootElement)
                : throw new InvalidOperationException("The buffered record cannot be stored.");
        }
    }

    private async Task<IReadOnlyList<RecordWrite>> WriteAllAsync(List<RecordWrite> writes, int siteId, CancellationToken cancellationToken)
    {
        await records.WriteAsync(writes, siteId, cancellationToken);
        return writes;
    }

    /// <summary>Writes each record under its own savepoint: one the database refuses is rolled back alone and rejected.</summary>
    private async Task<IReadOnlyList<RecordWrite>> WriteOneByOneAsync(
        List<RecordWrite> writes, int siteId, IDbContextTransaction transaction, List<string> rejections, CancellationToken cancellationToken)
    {
        List<RecordWrite> accepted = [];
        foreach (var write in writes)
        {
            await transaction.CreateSavepointAsync("record", cancellationToken);
            try
            {
                await records.WriteAsync([write], siteId, cancellationToken);
                await transaction.ReleaseSavepointAsync("record", cancellationToken);
                accepted.Add(write);
            }
            // Only a refusal of this record's data rejects it: a full or busy database fails the whole integration, and the
            // buffer waits for the next attempt (a record is never rejected for want of disk space).
            catch (Exception exception) when (StorageErrors.Classify(exception) == StorageErrorKind.RefusedData && !cancellationToken.IsCancellationRequested)
            {
                await transaction.RollbackToSavepointAsync("record", cancellationToken);
                rejections.Add($"{write.TableName} '{write.RecordId}': the database refused it ({exception.GetType().Name}).");
            }
        }
        return accepted;
    }

    /// <summary>One site-log line per rejection (the first <see cref="MaxRejectionLines"/>), then one line with the rest's count.</summary>
    private void LogRejections(int siteId, List<string> rejections, string where)
    {
        foreach (var rejection in rejections.Take(MaxRejectionLines))
        {
            siteLog.Add(siteId, SiteLogLevels.Error, SiteLogEvents.RecordRejected, $"Rejected {rejection}");
        }
        if (rejections.Count > MaxRejectionLines)
        {
            siteLog.Add(siteId, SiteLogLevels.Error, SiteLogEvents.RecordRejected,
                $"… and {rejections.Count - MaxRejectionLines} more rejected record(s) {where}.");
        }
    }

    /// <summary>The client's change-log position of a pushed record (Open mSupply sends its changelog cursor as a decimal string),
    /// or null when the <c>syncOutId</c> is not one: then arrival order alone decides.</summary>
    private static long? SourceSeq(string? syncOutId) =>
        long.TryParse(syncOutId, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;

    /// <summary>Names a refused entry by its table and id, when those can be shown at all.</summary>
    private static string Describe(RemoteSyncRecord? record) =>
        record is null ? "null" : $"{Truncate(record.TableName ?? "")} '{Truncate(record.RecordId ?? "")}'";

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
