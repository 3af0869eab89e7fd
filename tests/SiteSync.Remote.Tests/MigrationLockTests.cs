using SiteSync.Remote.Tests.Support;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests;

/// <summary>A sync killed while EF Core held its SQLite migration lock leaves the lock's row behind (dotnet/efcore#38958);
/// found by the fault suite's random kills, where the next <c>sitesync remote sync</c> then waited for it for ever.</summary>
public sealed class MigrationLockTests : IDisposable
{
    private readonly FakeCentral _central = new();
    private TestSite? _site;

    [Fact]
    public async Task ALockLeftByAKilledProcessDoesNotStopTheNextSync()
    {
        _central.AddStore("store-1", FakeCentral.SiteId);
        _central.UpsertCentral("item", """{"ID":"item-1"}""");
        _site = await TestSite.CreateAsync(_central);
        await _site.SyncAsync();
        await _site.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS "__EFMigrationsLock" ("Id" INTEGER NOT NULL PRIMARY KEY, "Timestamp" TEXT NOT NULL);
            INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-01-01 00:00:00+00:00');
            """);
        _central.UpsertCentral("item", """{"ID":"item-2"}""");

        var next = _site.Reopen();
        await next.SyncAsync(null, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(2, await _site.ScalarAsync<long>("SELECT COUNT(*) FROM records WHERE table_name = 'item'"));
    }

    public void Dispose()
    {
        _site?.Dispose();
        _central.Dispose();
    }
}
