using Microsoft.Data.Sqlite;
using SiteSync.Remote.Sync;
using SiteSync.Remote.Tests.Support;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests;

/// <summary>A sync cycle runs on one connection, so SQLite checkpoints the WAL once, when the cycle closes it (issue 10):
/// once a cycle has returned, the database file alone must hold everything, as when every statement had its own
/// connection, because an operator backs a site up by copying that file.</summary>
public sealed class CycleConnectionTests : IDisposable
{
    private readonly FakeCentral _central = new();
    private readonly string _copy = Path.Combine(Path.GetTempPath(), "sitesync-remote-tests", Guid.NewGuid().ToString("N") + ".db");

    [Fact]
    public async Task AfterACycleTheDatabaseFileAloneHoldsEverythingItStored()
    {
        _central.AddStore("store-1", FakeCentral.SiteId);
        for (var i = 0; i < 300; i++)
        {
            _central.UpsertCentral("item", $$"""{"ID":"item-{{i}}","name":"Item {{i}}"}""");
        }

        using var site = await TestSite.CreateAsync(_central);

        var report = await site.SyncAsync();

        Assert.Equal(SyncOutcomes.Ok, report.Outcome);
        Directory.CreateDirectory(Path.GetDirectoryName(_copy)!);
        File.Copy(site.DatabaseFile, _copy); // the file only: no -wal, no -shm
        await using var connection = new SqliteConnection($"Data Source={_copy};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM records WHERE table_name = 'item'), (SELECT outcome FROM sync_log ORDER BY id DESC LIMIT 1)";
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(300, reader.GetInt64(0));
        Assert.Equal(SyncOutcomes.Ok, reader.GetString(1));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_copy);
        _central.Dispose();
    }
}
