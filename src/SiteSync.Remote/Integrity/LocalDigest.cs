using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Sync;
using SiteSync.Remote.Storage;
using SiteSync.Remote.Sync;

namespace SiteSync.Remote.Integrity;

/// <summary>The site's side of the integrity audit: digests of the records it holds, grouped as central groups them, and the
/// record-by-record comparison of one group with central's hashes. Both read with a streaming reader in one pass, so memory
/// stays flat however many records the site holds; central's hashes of a group go to a temporary table on disk, not to memory.</summary>
internal sealed class LocalDigest(LocalDatabase database)
{
    /// <summary>Every group's digest in one pass over the records (one statement, so one consistent snapshot). Central data is
    /// grouped by table; store and central-store data by table and store, for the active stores only: records of other stores
    /// (incoming transfers) and of unknown tables are counted but not audited.</summary>
    public async Task<LocalDigestResult> ComputeAsync(TableCatalog catalog, IReadOnlyCollection<string> activeStoreIds, CancellationToken cancellationToken)
    {
        var active = activeStoreIds.ToHashSet(StringComparer.Ordinal);
        var result = new LocalDigestResult();
        await using var read = await LocalConnection.OpenReadAsync(database, cancellationToken);
        var connection = read.Connection;
        await using var command = connection.Command(null, "SELECT table_name, record_id, data, store_id FROM records");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = reader.GetString(0);
            var store = reader.IsDBNull(3) ? null : reader.GetString(3);
            var info = catalog[table];
            if (info.Variant is not null)
            {
                // Only tables with a variant (name: patients) need the record itself to know its class.
                using var document = System.Text.Json.JsonDocument.Parse(reader.GetString(2));
                info = info.For(document.RootElement);
            }
            var grouping = IntegrityDigest.GroupingOf(info.Class);
            GroupKey key;
            if (info.Class == DataClass.Unknown)
            {
                result.UnknownTableRecords++;
                continue;
            }
            else if (grouping == AuditGrouping.ByTable)
            {
                key = new GroupKey(table, null);
            }
            else if (grouping == AuditGrouping.ByStore && store is not null && active.Contains(store))
            {
                key = new GroupKey(table, store);
            }
            else
            {
                result.OtherStoreRecords++;
                continue;
            }

            ref var digest = ref CollectionsMarshal.GetValueRefOrAddDefault(result.Groups, key, out _);
            digest.Add(IntegrityDigest.HashRecord(table, reader.GetString(1), reader.GetString(2)));
        }

        return result;
    }

    /// <summary>Compares one group record by record: central's hashes, page by page, into a temporary table, then one pass over
    /// the site's records of the group joined to it, and one query for central's records the site lacks.</summary>
    /// <param name="tableName">The group's table.</param>
    /// <param name="storeId">The group's store; null for central data.</param>
    /// <param name="fetchPage">Fetches central's page after an id (null for the first).</param>
    /// <param name="differences">Receives differing records until it holds <paramref name="maxListed"/>.</param>
    /// <param name="maxListed">The most records to list (all are counted).</param>
    /// <param name="cancellationToken">Cancels the comparison.</param>
    /// <returns>How many records of the group differ.</returns>
    public async Task<long> CompareGroupAsync(
        string tableName,
        string? storeId,
        Func<string?, CancellationToken, Task<IntegrityRecordsResponse>> fetchPage,
        List<IntegrityDifference> differences,
        int maxListed,
        CancellationToken cancellationToken)
    {
        await using var read = await LocalConnection.OpenReadAsync(database, cancellationToken);
        var connection = read.Connection;
        // The temporary table lives on disk: central may list a million records of a group.
        await using (var setup = connection.Command(
            null,
            """
            PRAGMA temp_store = FILE;
            CREATE TEMP TABLE IF NOT EXISTS integrity_central (record_id TEXT NOT NULL PRIMARY KEY, hash TEXT NOT NULL);
            DELETE FROM temp.integrity_central;
            """))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        await LoadCentralAsync(connection, fetchPage, cancellationToken);

        var storeFilter = storeId is null ? "" : " AND r.store_id = $store";
        long count = 0;
        await using (var local = connection.Command(
            null,
            $"""
            SELECT r.record_id, r.data, c.hash FROM records r LEFT JOIN temp.integrity_central c ON c.record_id = r.record_id
            WHERE r.table_name = $table{storeFilter} ORDER BY r.record_id
            """).With("$table", tableName).WithStore(storeId))
        {
            await using var reader = await local.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                var hash = IntegrityDigest.Format(IntegrityDigest.HashRecord(tableName, id, reader.GetString(1)));
                var kind = reader.IsDBNull(2) ? IntegrityDifferenceKinds.MissingAtCentral
                    : string.Equals(reader.GetString(2), hash, StringComparison.Ordinal) ? null
                    : IntegrityDifferenceKinds.DifferentContent;
                if (kind is not null)
                {
                    count++;
                    Add(differences, maxListed, new IntegrityDifference(tableName, storeId, id, kind));
                }
            }
        }

        await using (var missing = connection.Command(
            null,
            $"""
            SELECT c.record_id FROM temp.integrity_central c
            WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.table_name = $table AND r.record_id = c.record_id{storeFilter})
            ORDER BY c.record_id
            """).With("$table", tableName).WithStore(storeId))
        {
            await using var reader = await missing.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                count++;
                Add(differences, maxListed, new IntegrityDifference(tableName, storeId, reader.GetString(0), IntegrityDifferenceKinds.MissingAtSite));
            }
        }

        await using (var drop = connection.Command(null, "DROP TABLE temp.integrity_central"))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        return count;
    }

    private static async Task LoadCentralAsync(
        SqliteConnection connection, Func<string?, CancellationToken, Task<IntegrityRecordsResponse>> fetchPage, CancellationToken cancellationToken)
    {
        await using var insert = connection.Command(null, "INSERT OR REPLACE INTO temp.integrity_central (record_id, hash) VALUES ($id, $hash)")
            .With("$id", "").With("$hash", "");
        string? after = null;
        while (true)
        {
            var page = await fetchPage(after, cancellationToken);
            await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
            {
                insert.Transaction = transaction;
                foreach (var record in page.Records)
                {
                    await insert.Set("$id", record.Id).Set("$hash", record.Hash).ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            if (page.Next is null)
            {
                return;
            }

            if (page.Records.Count == 0 || string.Equals(page.Next, after, StringComparison.Ordinal))
            {
                throw new SyncCycleException(SyncCycleErrorCodes.InvalidRecord, "Central's record list of a group did not move forward; the comparison stopped.");
            }

            after = page.Next;
        }
    }

    private static void Add(List<IntegrityDifference> differences, int maxListed, IntegrityDifference difference)
    {
        if (differences.Count < maxListed)
        {
            differences.Add(difference);
        }
    }
}

internal static class GroupCommandExtensions
{
    /// <summary>Binds <c>$store</c> only for a store group: central groups have no store filter.</summary>
    public static SqliteCommand WithStore(this SqliteCommand command, string? storeId) => storeId is null ? command : command.With("$store", storeId);
}

/// <summary>A group of records as both sides group them.</summary>
internal readonly record struct GroupKey(string TableName, string? StoreId);

/// <summary>The site's digests, and what it holds but does not audit.</summary>
internal sealed class LocalDigestResult
{
    public Dictionary<GroupKey, IntegrityAccumulator> Groups { get; } = [];
    public long OtherStoreRecords { get; set; }
    public long UnknownTableRecords { get; set; }
    public long RecordsChecked => Groups.Values.Sum(g => g.Count);
}
