using Microsoft.Data.Sqlite;
using SiteSync.Protocol.Catalog;
using SiteSync.Protocol.Sync;
using SiteSync.Remote.Storage;

namespace SiteSync.Remote.Tests;

/// <summary>The integrator applies the pull buffer with one statement per table and one supersede statement (issue 10); these
/// pin what the per-record integrator did: which local edits central's copies supersede, and each record's owning store.</summary>
public sealed class BufferIntegrationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sitesync-remote-tests", Guid.NewGuid().ToString("N"));
    private readonly LocalStore _store;

    public BufferIntegrationTests() => _store = new LocalStore(new LocalDatabase(_directory), TimeProvider.System);

    [Fact]
    public async Task CentralsCopiesSupersedeUnpushedLocalEditsOfTheSameRecordsOnly()
    {
        var token = TestContext.Current.CancellationToken;
        await _store.Database.MigrateAsync(token);
        await _store.Changes.PutAsync(
            [
                new LocalRecord("transact", "t-1", """{"ID":"t-1","store_ID":"store-1","comment":"local"}""", "store-1"),
                new LocalRecord("transact", "t-2", """{"ID":"t-2","store_ID":"store-1"}""", "store-1"),
                new LocalRecord("Location", "loc-1", """{"ID":"loc-1","store_ID":"store-1"}""", "store-1"),
                new LocalRecord("Location", "t-1", """{"ID":"t-1","store_ID":"store-1"}""", "store-1"),
            ],
            token);
        await _store.Pull.BufferAsync(
            [
                new IncomingRecord("transact", "t-1", SyncActions.Update, """{"ID":"t-1","store_ID":"store-1","comment":"central"}"""),
                new IncomingRecord("Location", "loc-1", SyncActions.Delete, null),
            ],
            BufferSources.Queue,
            null,
            token);

        var result = await _store.Pull.IntegrateAsync(TableCatalog.Default, null, token);

        Assert.Equal((1, 1, 0), (result.Upserted, result.Deleted, result.Merged));
        Assert.Equal(2, await _store.Changes.CountPendingPushAsync(token));
        var (pending, _, _) = await _store.Changes.NextPushBatchAsync(0, 10, token);
        Assert.Equal(["transact t-2", "Location t-1"], pending.Select(r => $"{r.TableName} {r.RecordId}"));
        Assert.Equal("""{"ID":"t-1","store_ID":"store-1","comment":"central"}""", (await _store.Changes.FindRecordAsync("transact", "t-1", token))!.Data);
        Assert.Null(await _store.Changes.FindRecordAsync("Location", "loc-1", token));
        Assert.Equal(0, await _store.Pull.CountAsync(token));
    }

    [Fact]
    public async Task OwningStoreIsAStringStoreFieldOrTheParentsStoreEvenWhenTheParentCameInTheSamePull()
    {
        var token = TestContext.Current.CancellationToken;
        await _store.Database.MigrateAsync(token);
        await _store.Pull.BufferAsync(
            [
                // Lines first: the integrator must still apply headers before lines (catalog order), not buffer order.
                new IncomingRecord("trans_line", "tl-1", SyncActions.Update, """{"ID":"tl-1","transaction_ID":"t-1"}"""),
                new IncomingRecord("trans_line", "tl-2", SyncActions.Update, """{"ID":"tl-2","transaction_ID":"t-missing"}"""),
                new IncomingRecord("trans_line", "tl-3", SyncActions.Update, """{"ID":"tl-3","transaction_ID":5}"""),
                new IncomingRecord("transact", "t-1", SyncActions.Update, """{"ID":"t-1","store_ID":"store-1"}"""),
                new IncomingRecord("transact", "t-2", SyncActions.Update, """{"ID":"t-2","store_ID":7}"""),
                new IncomingRecord("transact", "t-3", SyncActions.Update, """{"ID":"t-3","store_ID":null}"""),
                new IncomingRecord("transact", "t-4", SyncActions.Update, """["store_ID","store-1"]"""),
                new IncomingRecord("transact", "t-5", SyncActions.Update, """{"ID":"t-5","store_ID":"st\u006fre-'2"}"""),
                new IncomingRecord("item", "i-1", SyncActions.Update, """{"ID":"i-1","store_ID":"store-1"}"""),
                new IncomingRecord("brand_new_table", "n-1", SyncActions.Update, """{"ID":"n-1","store_ID":"store-1"}"""),
            ],
            BufferSources.Central,
            null,
            token);

        var result = await _store.Pull.IntegrateAsync(TableCatalog.Default, null, token);

        Assert.Equal(10, result.Upserted);
        Assert.Equal(["brand_new_table"], result.UnknownTables);
        var stores = await StoresAsync(token);
        Assert.Equal("store-1", stores["trans_line tl-1"]);
        Assert.Null(stores["trans_line tl-2"]);
        Assert.Null(stores["trans_line tl-3"]);
        Assert.Equal("store-1", stores["transact t-1"]);
        Assert.Null(stores["transact t-2"]);
        Assert.Null(stores["transact t-3"]);
        Assert.Null(stores["transact t-4"]);
        Assert.Equal("store-'2", stores["transact t-5"]);
        Assert.Null(stores["item i-1"]);
        Assert.Null(stores["brand_new_table n-1"]);
    }

    [Fact]
    public async Task ARecordBufferedTwiceKeepsItsLastCopyWithinABatchAndAcrossBatches()
    {
        var token = TestContext.Current.CancellationToken;
        await _store.Database.MigrateAsync(token);
        var batch = Enumerable.Range(0, 133)
            .Select(i => new IncomingRecord("item", $"i-{i}", SyncActions.Update, $$"""{"ID":"i-{{i}}","v":1}"""))
            .Append(new IncomingRecord("item", "i-0", SyncActions.Update, """{"ID":"i-0","v":2}"""))
            .Append(new IncomingRecord("item", "i-1", SyncActions.Delete, null))
            .ToList();
        await _store.Pull.BufferAsync(batch, BufferSources.Central, (CursorNames.CentralPull, 7), token);
        await _store.Pull.BufferAsync(
            [new IncomingRecord("item", "i-2", SyncActions.Update, """{"ID":"i-2","v":3}""")], BufferSources.Queue, null, token);

        Assert.Equal(133, await _store.Pull.CountAsync(token));
        Assert.Equal(7, await _store.Settings.ReadCursorAsync(CursorNames.CentralPull, token));
        var result = await _store.Pull.IntegrateAsync(TableCatalog.Default, null, token);

        Assert.Equal((132, 1), (result.Upserted, result.Deleted));
        Assert.Equal("""{"ID":"i-0","v":2}""", (await _store.Changes.FindRecordAsync("item", "i-0", token))!.Data);
        Assert.Null(await _store.Changes.FindRecordAsync("item", "i-1", token));
        Assert.Equal("""{"ID":"i-2","v":3}""", (await _store.Changes.FindRecordAsync("item", "i-2", token))!.Data);
        Assert.Equal("""{"ID":"i-3","v":1}""", (await _store.Changes.FindRecordAsync("item", "i-3", token))!.Data);
    }

    private async Task<Dictionary<string, string?>> StoresAsync(CancellationToken token)
    {
        await using var connection = new SqliteConnection($"Data Source={_store.Database.FilePath};Pooling=False");
        await connection.OpenAsync(token);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT table_name, record_id, store_id FROM records";
        await using var reader = await command.ExecuteReaderAsync(token);
        var stores = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (await reader.ReadAsync(token))
        {
            stores[$"{reader.GetString(0)} {reader.GetString(1)}"] = reader.IsDBNull(2) ? null : reader.GetString(2);
        }

        return stores;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
