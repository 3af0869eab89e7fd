using System.Data.Common;
using SiteSync.Central.Storage;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Central.Sync;

/// <summary>Serves the central change log by cursor (reference §2.5): rows with <c>ID &gt; cursor</c>, ascending, each with its
/// record's current data. Nothing is filtered, so a non-empty page comes back whenever rows exist past the cursor.</summary>
/// <remarks>The maximum is read first and the page is bounded by it. Ids are assigned under the counter's lock and commit in
/// order (<see cref="Counters"/>), so when row M is visible every row up to M is: the page cannot be empty while
/// <c>maxCursor</c> is past the cursor. (Read the other way round, a commit between the two reads answered
/// <c>data: []</c> with a larger <c>maxCursor</c>, and the Open mSupply client then steps its cursor past the row.)</remarks>
public sealed class CentralChangeLog(SiteSyncDbContext db)
{
    /// <summary>The page's change-log rows are chosen first and only they are joined to their records: written as one join with
    /// the limit outside, PostgreSQL with statistics from before a bulk load (an estimate of 52 rows for 100,000) joined every
    /// row up to <c>@max</c> and sorted them for each page: 130–230 ms a page of 5,000, half of a 150,000-record
    /// initialisation.</summary>
    private const string PageSql = """
        SELECT c.id, c.table_name, c.record_id, r.data, r.is_deleted, c.action, c.data
        FROM (SELECT id, table_name, record_id, action, data FROM central_change_log
              WHERE id > @cursor AND id <= @max ORDER BY id LIMIT @limit) c
        LEFT JOIN record r ON r.table_name = c.table_name AND r.record_id = c.record_id
        ORDER BY c.id
        """;

    public async Task<CentralSyncBatch> PageAsync(long cursor, int limit, CancellationToken cancellationToken)
    {
        await SqlCommands.EnsureOpenAsync(db, cancellationToken);
        long maxCursor;
        await using (var max = SqlCommands.Create(db, "SELECT COALESCE(MAX(id), 0) FROM central_change_log"))
        {
            maxCursor = Convert.ToInt64(await max.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        // The fault suite widens the window between the two reads here; with the maximum read first, it is harmless.
        Diagnostics.FailPoints.Hit("changelog.page_before_max");
        await using var command = SqlCommands.Create(db, PageSql);
        command.Add("@cursor", cursor);
        command.Add("@max", maxCursor);
        command.Add("@limit", limit);
        List<CentralSyncRecord> page = [];
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add(reader.GetString(5) == SyncActions.Merge
                    ? new CentralSyncRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), SyncActions.Merge, new RawJson(reader.GetString(6)))
                    : new CentralSyncRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), ActionOf(reader), DataOf(reader)));
            }
        }
        // The client subtracts cursor from maxCursor unsigned: never answer a smaller maxCursor than the cursor it sent.
        return new CentralSyncBatch(Math.Max(maxCursor, cursor), page);
    }

    /// <summary>A change whose record is gone (or a tombstone) goes out as a delete, whatever the row's own action was:
    /// the record's current state is what the site must end up with.</summary>
    internal static string ActionOf(DbDataReader reader) => IsGone(reader) ? SyncActions.Delete : SyncActions.Update;

    internal static RawJson? DataOf(DbDataReader reader) => IsGone(reader) ? null : new RawJson(reader.GetString(3));

    private static bool IsGone(DbDataReader reader) => reader.IsDBNull(3) || (!reader.IsDBNull(4) && reader.GetBoolean(4));
}
