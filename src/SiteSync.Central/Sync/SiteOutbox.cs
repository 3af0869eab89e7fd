using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

/// <summary>A site's outgoing queue (reference §2.6–2.7): first the pending store deliveries (snapshots over the record
/// table), then the queue entries, each served with the record's current data until the site acknowledges it.</summary>
/// <remarks>Ids on the wire: <c>q{id}</c> for a queue entry, <c>s{snapshot}-{seq}</c> for a record of a snapshot.
/// Acknowledging removes queue entries and moves a snapshot's cursor forward; unknown, foreign or repeated ids change
/// nothing, so a retried or forged acknowledgement is harmless.</remarks>
public sealed class SiteOutbox(SiteSyncDbContext db, TimeProvider time)
{
    /// <summary>The records a snapshot delivers: the store's live records by sequence in (cursor, upper], leaving out a
    /// record that central also holds under the table that supersedes it (routing.md §4.5: a goods-received note becomes an
    /// inbound shipment with its id on the site; both in one pull would let the older overwrite the newer in the client's
    /// buffer). Paging, acknowledging and "anything left?" all read this one set.</summary>
    private static readonly string InSnapshot = $"""
        FROM record r
        WHERE r.store_id = @store AND r.seq > @cursor AND r.seq <= @upper AND r.is_deleted = @false{Superseded.Condition}
        """;

    private static readonly string SnapshotPageSql = $"SELECT r.seq, r.table_name, r.record_id, r.data {InSnapshot} ORDER BY r.seq LIMIT @limit";

    private static readonly string RangeSql = $"SELECT r.seq, r.table_name, r.record_id {InSnapshot}";

    private static readonly string AnyLeftSql = $"SELECT 1 {InSnapshot} LIMIT 1";

    /// <summary>A snapshot record the site skipped becomes a queue entry, unless one is already queued for it.</summary>
    private const string RequeueSql = """
        INSERT INTO sync_out (site_id, table_name, record_id, created_at)
        SELECT @site, @table, @record, @at
        WHERE NOT EXISTS (SELECT 1 FROM sync_out WHERE site_id = @site AND table_name = @table AND record_id = @record)
        """;

    private const string QueuePageSql = """
        SELECT q.id, q.table_name, q.record_id, r.data, r.is_deleted, q.action
        FROM sync_out q
        LEFT JOIN record r ON r.table_name = q.table_name AND r.record_id = q.record_id
        WHERE q.site_id = @site
        ORDER BY q.id
        LIMIT @limit
        """;

    /// <summary>The next at most <paramref name="limit"/> records for the site, and how many remain including them.</summary>
    public async Task<RemoteSyncBatch> PageAsync(int siteId, int limit, CancellationToken cancellationToken)
    {
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        List<RemoteSyncRecord> page = [];
        long remaining = 0;

        var snapshots = await db.Snapshots.AsNoTracking().Where(s => s.SiteId == siteId).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        foreach (var snapshot in snapshots)
        {
            remaining += snapshot.Remaining;
            if (page.Count >= limit)
            {
                continue;
            }
            await using var command = SqlCommands.Create(db, SnapshotPageSql);
            command.Add("@store", snapshot.StoreId);
            command.Add("@cursor", snapshot.CursorSeq);
            command.Add("@upper", snapshot.UpperSeq);
            command.Add("@false", false);
            command.Add("@limit", limit - page.Count);
            Superseded.AddParameters(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var syncOutId = string.Create(CultureInfo.InvariantCulture, $"s{snapshot.Id}-{reader.GetInt64(0)}");
                page.Add(new RemoteSyncRecord(syncOutId, reader.GetString(1), reader.GetString(2), SyncActions.Update,
                    new Protocol.Json.RawJson(reader.GetString(3))));
            }
        }

        await using (var count = SqlCommands.Create(db, "SELECT COUNT(*) FROM sync_out WHERE site_id = @site"))
        {
            count.Add("@site", siteId);
            remaining += Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        if (page.Count < limit)
        {
            await using var command = SqlCommands.Create(db, QueuePageSql);
            command.Add("@site", siteId);
            command.Add("@limit", limit - page.Count);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var syncOutId = string.Create(CultureInfo.InvariantCulture, $"q{reader.GetInt64(0)}");
                // An entry queued as a delete (a transfer withdrawn from the site) is a delete whatever the record's state.
                var withdrawn = !reader.IsDBNull(5) && reader.GetString(5) == SyncActions.Delete;
                page.Add(withdrawn
                    ? new RemoteSyncRecord(syncOutId, reader.GetString(1), reader.GetString(2), SyncActions.Delete, null)
                    : new RemoteSyncRecord(syncOutId, reader.GetString(1), reader.GetString(2), CentralChangeLog.ActionOf(reader), CentralChangeLog.DataOf(reader)));
            }
        }
        // The client subtracts the page size from queueLength unsigned.
        return new RemoteSyncBatch(Math.Max(remaining, page.Count), page);
    }

    /// <summary>How many records the site has still to receive.</summary>
    public async Task<long> LengthAsync(int siteId, CancellationToken cancellationToken) =>
        (await PageAsync(siteId, 1, cancellationToken)).QueueLength;

    /// <summary>Applies an acknowledgement in the caller's transaction: exactly the records it names stop being delivered.
    /// Returns the number of ids that took effect.</summary>
    /// <remarks>A snapshot is delivered by a cursor over the store's sequence; its cursor moves to the highest acknowledged
    /// record, and any record of the store below that point the acknowledgement did not name (a client that stored only part
    /// of a page) is queued to the site as a normal entry, so it comes again.</remarks>
    public async Task<int> AcknowledgeAsync(int siteId, IReadOnlyList<string> syncIds, CancellationToken cancellationToken)
    {
        List<long> queueIds = [];
        Dictionary<long, HashSet<long>> snapshotSeqs = [];
        foreach (var id in syncIds)
        {
            if (id.Length > 1 && id[0] == 'q' && long.TryParse(id.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var queueId))
            {
                queueIds.Add(queueId);
            }
            else if (id.Length > 1 && id[0] == 's' && id.IndexOf('-', StringComparison.Ordinal) is var dash and > 1
                && long.TryParse(id.AsSpan(1, dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var snapshotId)
                && long.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                if (!snapshotSeqs.TryGetValue(snapshotId, out var seqs))
                {
                    snapshotSeqs[snapshotId] = seqs = [];
                }
                seqs.Add(seq);
            }
        }

        var applied = 0;
        foreach (var chunk in queueIds.Chunk(500))
        {
            applied += await db.Queue.Where(q => q.SiteId == siteId && chunk.Contains(q.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        if (snapshotSeqs.Count > 0)
        {
            var ids = snapshotSeqs.Keys.ToList();
            var snapshots = await db.Snapshots.Where(s => s.SiteId == siteId && ids.Contains(s.Id)).ToListAsync(cancellationToken);
            foreach (var snapshot in snapshots)
            {
                applied += await AcknowledgeSnapshotAsync(snapshot, snapshotSeqs[snapshot.Id], cancellationToken);
                if (await ScalarAsync(AnyLeftSql, snapshot, snapshot.CursorSeq, snapshot.UpperSeq, cancellationToken) == 0)
                {
                    db.Snapshots.Remove(snapshot);
                }
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        return applied;
    }

    private async Task<int> AcknowledgeSnapshotAsync(SnapshotEntity snapshot, HashSet<long> acknowledgedSeqs, CancellationToken cancellationToken)
    {
        var acknowledged = Math.Min(acknowledgedSeqs.Max(), snapshot.UpperSeq);
        if (acknowledged <= snapshot.CursorSeq)
        {
            return 0; // Repeated or stale: already past the cursor.
        }
        // The range the cursor passes over: normally exactly the page just served, so this reads one page.
        List<(string Table, string Record)> missed = [];
        var delivered = 0;
        await using (var command = SqlCommands.Create(db, RangeSql))
        {
            command.Add("@store", snapshot.StoreId);
            command.Add("@cursor", snapshot.CursorSeq);
            command.Add("@upper", acknowledged);
            command.Add("@false", false);
            Superseded.AddParameters(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (acknowledgedSeqs.Contains(reader.GetInt64(0)))
                {
                    delivered++;
                }
                else
                {
                    missed.Add((reader.GetString(1), reader.GetString(2)));
                }
            }
        }
        if (missed.Count > 0)
        {
            await using var enqueue = SqlCommands.Create(db, RequeueSql);
            enqueue.Add("@site", snapshot.SiteId);
            var table = enqueue.Add("@table", null);
            var record = enqueue.Add("@record", null);
            enqueue.Add("@at", db.ToDbTime(time.GetUtcNow()));
            foreach (var (tableName, recordId) in missed)
            {
                table.Value = tableName;
                record.Value = recordId;
                await enqueue.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        snapshot.Remaining = Math.Max(0, snapshot.Remaining - delivered - missed.Count);
        snapshot.CursorSeq = acknowledged;
        return delivered;
    }

    /// <summary>Runs a count or existence query over the store's records with seq in (from, to]; null (no row) is 0.</summary>
    private async Task<long> ScalarAsync(string sql, SnapshotEntity snapshot, long from, long to, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(db, sql);
        command.Add("@store", snapshot.StoreId);
        command.Add("@cursor", from);
        command.Add("@upper", to);
        command.Add("@false", false);
        Superseded.AddParameters(command);
        return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
            ? Convert.ToInt64(value, CultureInfo.InvariantCulture)
            : 0;
    }

    /// <summary>The catalog's <c>supersededBy</c> pairs as a SQL condition on <c>record r</c>, with its parameters.</summary>
    private static class Superseded
    {
        private static readonly (string Table, string By)[] Pairs =
            [.. TableCatalog.Default.Tables.Where(t => t.SupersededBy is not null).Select(t => (t.Name, t.SupersededBy!))];

        // The superseding table as one expression of the outer row, so both engines probe record's primary key (table_name,
        // record_id) once per row; PostgreSQL planned the OR of pairs as a scan of every transact per snapshot row (12 s for a
        // page of 5,000 at 25,000 records, auto_explain; issue 10).
        public static readonly string Condition = Pairs.Length == 0 ? "" : $"""

             AND NOT EXISTS (SELECT 1 FROM record t WHERE t.table_name = CASE r.table_name {string.Join(" ",
                Pairs.Select((_, i) => $"WHEN @superseded{i} THEN @supersededBy{i}"))} END AND t.record_id = r.record_id AND t.is_deleted = @false)
            """;

        public static void AddParameters(System.Data.Common.DbCommand command)
        {
            for (var i = 0; i < Pairs.Length; i++)
            {
                command.Add($"@superseded{i}", Pairs[i].Table);
                command.Add($"@supersededBy{i}", Pairs[i].By);
            }
        }
    }
}
