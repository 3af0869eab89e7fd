using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;

namespace SiteSync.Remote.Storage;

/// <summary>The site's own records and edits: local edits with their change-log rows (the push log), the next batch to push,
/// and reads of stored records. Each public method is one short transaction.</summary>
internal sealed class LocalChanges(LocalDatabase database, TimeProvider time)
{
    /// <summary>Upserts locally edited records and appends one change-log row each, superseding earlier unpushed rows of the same
    /// record so a record is pushed once with its latest data.</summary>
    public async Task PutAsync(IReadOnlyList<LocalRecord> records, CancellationToken cancellationToken)
    {
        await using var write = await LocalConnection.BeginWriteAsync(database, cancellationToken);
        var pushCursor = await SettingsStore.ReadCursorAsync(write, CursorNames.Push, cancellationToken);
        var now = time.GetUtcNow().UtcTicks;

        foreach (var record in records)
        {
            await using var upsert = write.Command(LocalSql.UpsertRecord)
                .With("$table", record.TableName).With("$id", record.RecordId).With("$data", record.Data).With("$store", record.StoreId);
            await upsert.ExecuteNonQueryAsync(cancellationToken);

            await using var supersede = write.Command(LocalSql.SupersedeUnpushed)
                .With("$table", record.TableName).With("$id", record.RecordId).With("$cursor", pushCursor);
            await supersede.ExecuteNonQueryAsync(cancellationToken);

            await using var log = write.Command(LocalSql.AppendChangeLog)
                .With("$table", record.TableName).With("$id", record.RecordId).With("$action", SyncActions.Update)
                .With("$store", record.StoreId).With("$at", now);
            await log.ExecuteNonQueryAsync(cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
    }

    /// <summary>The next unpushed change-log rows after <paramref name="cursor"/> with each record's current data (a record
    /// deleted since is pushed as a delete), and how many rows remain including these.</summary>
    public async Task<(List<RemoteSyncRecord> Records, long LastId, long Remaining)> NextPushBatchAsync(
        long cursor, int limit, CancellationToken cancellationToken)
    {
        await using var read = await LocalConnection.OpenReadAsync(database, cancellationToken);
        await using var count = read.Command(LocalSql.CountUnpushed).With("$cursor", cursor);
        var remaining = (long)(await count.ExecuteScalarAsync(cancellationToken) ?? 0L);

        await using var select = read.Command(LocalSql.NextUnpushed).With("$cursor", cursor).With("$limit", limit);
        var records = new List<RemoteSyncRecord>();
        var lastId = cursor;
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lastId = reader.GetInt64(0);
            var data = reader.IsDBNull(4) ? null : reader.GetString(4);
            records.Add(new RemoteSyncRecord(
                lastId.ToString(CultureInfo.InvariantCulture),
                reader.GetString(1),
                reader.GetString(2),
                data is null ? SyncActions.Delete : reader.GetString(3),
                data is null ? null : new RawJson(data)));
        }

        return (records, lastId, remaining);
    }

    /// <summary>How many change-log rows wait to be pushed.</summary>
    public async Task<long> CountPendingPushAsync(CancellationToken cancellationToken)
    {
        await using var read = await LocalConnection.OpenReadAsync(database, cancellationToken);
        var cursor = await SettingsStore.ReadCursorAsync(read, CursorNames.Push, cancellationToken);
        await using var count = read.Command(LocalSql.CountUnpushed).With("$cursor", cursor);
        return (long)(await count.ExecuteScalarAsync(cancellationToken) ?? 0L);
    }

    public async Task<RecordEntity?> FindRecordAsync(string tableName, string recordId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Records.AsNoTracking().FirstOrDefaultAsync(r => r.TableName == tableName && r.RecordId == recordId, cancellationToken);
    }

    public async Task<List<RecordEntity>> ListRecordsAsync(string tableName, string? storeId, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var query = db.Records.AsNoTracking().Where(r => r.TableName == tableName);
        if (storeId is not null)
        {
            query = query.Where(r => r.StoreId == storeId);
        }

        return await query.OrderBy(r => r.RecordId).ToListAsync(cancellationToken);
    }
}

/// <summary>A validated local edit.</summary>
internal sealed record LocalRecord(string TableName, string RecordId, string Data, string? StoreId);
