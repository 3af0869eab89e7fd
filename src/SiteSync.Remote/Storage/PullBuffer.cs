using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Sync;
using SiteSync.Remote.Diagnostics;
using SiteSync.Remote.Settings;

namespace SiteSync.Remote.Storage;

/// <summary>Where a buffered record came from.</summary>
internal static class BufferSources
{
    /// <summary>Central's change log.</summary>
    public const string Central = "central";

    /// <summary>The site's queue.</summary>
    public const string Queue = "queue";
}

/// <summary>The pull buffer and its integrator: pulled records wait in <c>incoming</c> until both pulls have drained, then
/// are applied in one transaction. Each public method is one short transaction.</summary>
internal sealed class PullBuffer(LocalDatabase database)
{
    /// <summary>Stores pulled records in the incoming buffer, and the new cursor with them in the same transaction.</summary>
    public async Task BufferAsync(
        IReadOnlyList<IncomingRecord> records, string source, (string Name, long Value)? cursor, CancellationToken cancellationToken)
    {
        await using var write = await LocalConnection.BeginWriteAsync(database, cancellationToken);
        await using var insert = write.Command(LocalSql.BufferIncoming)
            .With("$table", "").With("$id", "").With("$action", "").With("$data", null).With("$source", source);
        insert.Prepare();
        foreach (var record in records)
        {
            insert.Set("$table", record.TableName).Set("$id", record.BufferKey).Set("$action", record.Action).Set("$data", record.Data);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (cursor is var (name, value))
        {
            await using var command = SettingsStore.CursorCommand(write, name, value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await write.CommitAsync(cancellationToken);
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        return await db.Incoming.CountAsync(cancellationToken);
    }

    /// <summary>Applies the whole buffer in one transaction: upserts in dependency order (a copy identical to the one held is
    /// not written again), deletes in reverse order, then merges;
    /// marks unpushed local edits of the same records as superseded (central's copy wins and is never pushed back); empties the
    /// buffer; and recomputes the active stores.</summary>
    public async Task<IntegrationResult> IntegrateAsync(TableCatalog catalog, int? siteId, CancellationToken cancellationToken)
    {
        await using var write = await LocalConnection.BeginWriteAsync(database, cancellationToken);
        var incoming = await write.Db.Incoming.AsNoTracking().ToListAsync(cancellationToken);
        var pushCursor = await SettingsStore.ReadCursorAsync(write.Db, CursorNames.Push, cancellationToken);

        await using var upsert = write.Command(LocalSql.UpsertRecord).With("$table", "").With("$id", "").With("$data", "").With("$store", null);
        await using var delete = write.Command(LocalSql.DeleteRecord).With("$table", "").With("$id", "");
        await using var supersede = write.Command(LocalSql.SupersedeUnpushed).With("$table", "").With("$id", "").With("$cursor", pushCursor);
        await using var parentStore = write.Command(LocalSql.StoreOfRecord).With("$table", "").With("$id", "");

        var ordered = incoming
            .Select(row => (Row: row, Info: catalog[row.TableName]))
            .ToList();
        var upserts = ordered.Where(r => r.Row.Action == SyncActions.Update).OrderBy(r => r.Info.Order).ThenBy(r => r.Row.TableName, StringComparer.Ordinal);
        var deletes = ordered.Where(r => r.Row.Action == SyncActions.Delete).OrderByDescending(r => r.Info.Order);
        var merges = ordered.Where(r => r.Row.Action == SyncActions.Merge);

        var result = new IntegrationResult();
        foreach (var (row, info) in upserts)
        {
            var storeId = await OwningStoreAsync(info, row.Data!, parentStore, cancellationToken);
            upsert.Set("$table", row.TableName).Set("$id", row.RecordId).Set("$data", row.Data).Set("$store", storeId);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
            await supersede.Set("$table", row.TableName).Set("$id", row.RecordId).ExecuteNonQueryAsync(cancellationToken);
            result.Upserted++;
            if (info.Class == DataClass.Unknown)
            {
                result.UnknownTables.Add(row.TableName);
            }
        }

        foreach (var (row, _) in deletes)
        {
            await delete.Set("$table", row.TableName).Set("$id", row.RecordId).ExecuteNonQueryAsync(cancellationToken);
            await supersede.Set("$table", row.TableName).Set("$id", row.RecordId).ExecuteNonQueryAsync(cancellationToken);
            result.Deleted++;
        }

        foreach (var (row, info) in merges)
        {
            await MergeAsync(write, row, info, delete, supersede, cancellationToken);
            result.Merged++;
        }

        FailPoints.Hit("integrate.mid_tx");
        await using (var clear = write.Command(LocalSql.ClearIncoming))
        {
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        var stores = await ActiveStoresAsync(write, siteId, cancellationToken);
        await SettingsStore.WriteAsync(write, SettingKeys.ActiveStoreIds, StoredSettings.Text(stores), cancellationToken);
        result.ActiveStoreIds = stores;

        await write.CommitAsync(cancellationToken);
        return result;
    }

    private static async Task<string?> OwningStoreAsync(TableInfo info, string data, SqliteCommand parentStore, CancellationToken cancellationToken)
    {
        if (info.StoreField is null && info.ParentTable is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(data);
        if (info.StoreField is { } storeField)
        {
            return JsonFields.StringField(document.RootElement, storeField);
        }

        if (JsonFields.StringField(document.RootElement, info.ParentField!) is not { } parentId)
        {
            return null;
        }

        return await parentStore.Set("$table", info.ParentTable).Set("$id", parentId).ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task MergeAsync(
        LocalConnection write, IncomingRecordEntity row, TableInfo info, SqliteCommand delete, SqliteCommand supersede,
        CancellationToken cancellationToken)
    {
        if (row.Data is null)
        {
            return;
        }

        using var document = JsonDocument.Parse(row.Data);
        if (JsonFields.StringField(document.RootElement, MergeFields.Keep) is not { } keep
            || JsonFields.StringField(document.RootElement, MergeFields.Delete) is not { } remove
            || string.Equals(keep, remove, StringComparison.Ordinal))
        {
            return;
        }

        // Links are re-pointed before the merged record goes, so no record points at a missing one at any commit.
        foreach (var field in info.MergeLinks)
        {
            await using var repoint = write.Command(LocalSql.RepointLink).With("$path", "$." + field).With("$keep", keep).With("$remove", remove);
            await repoint.ExecuteNonQueryAsync(cancellationToken);
        }

        await delete.Set("$table", row.TableName).Set("$id", remove).ExecuteNonQueryAsync(cancellationToken);
        await supersede.Set("$table", row.TableName).Set("$id", remove).ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<string>> ActiveStoresAsync(LocalConnection write, int? siteId, CancellationToken cancellationToken)
    {
        var stores = new List<string>();
        if (siteId is null)
        {
            return stores;
        }

        await using var command = write.Command(LocalSql.StoreRecords);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            using var document = JsonDocument.Parse(reader.GetString(1));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(LegacyFields.SyncIdRemoteSite, out var site)
                && IsSite(site, siteId.Value))
            {
                stores.Add(reader.GetString(0));
            }
        }

        return stores;
    }

    private static bool IsSite(JsonElement value, int siteId) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetInt32(out var number) && number == siteId,
        JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number == siteId,
        _ => false,
    };
}

/// <summary>A pulled record as buffered: merges are keyed by the record they remove, so a re-delivered merge overwrites itself.</summary>
internal sealed record IncomingRecord(string TableName, string BufferKey, string Action, string? Data);

/// <summary>What one integration applied.</summary>
internal sealed class IntegrationResult
{
    public int Upserted { get; set; }
    public int Deleted { get; set; }
    public int Merged { get; set; }
    public HashSet<string> UnknownTables { get; } = new(StringComparer.Ordinal);
    public IReadOnlyList<string> ActiveStoreIds { get; set; } = [];
    public int Total => Upserted + Deleted + Merged;
}
