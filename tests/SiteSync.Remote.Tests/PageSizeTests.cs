using SiteSync.Remote.Sync;
using SiteSync.Remote.Tests.Support;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests;

/// <summary>Issue 10: a new site database is created with 16 KiB pages (a pulled record is written through the WAL one page
/// at a time, twice), and a site whose database was created with 4 KiB pages keeps them and still syncs.</summary>
public sealed class PageSizeTests : IDisposable
{
    private readonly FakeCentral _central = new();
    private readonly List<TestSite> _sites = [];

    public void Dispose()
    {
        foreach (var site in _sites)
        {
            site.Dispose();
        }
    }

    [Fact]
    public async Task ANewSiteDatabaseHas16KiBPages()
    {
        _central.AddStore("store-1", FakeCentral.SiteId);
        var site = await TestSite.CreateAsync(_central);
        _sites.Add(site);

        await site.SyncAsync();

        Assert.Equal(16_384, await site.ScalarAsync<long>("PRAGMA page_size"));
        Assert.Equal("wal", await site.ScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task ADatabaseCreatedWith4KiBPagesKeepsThemAndSyncs()
    {
        _central.AddStore("store-1", FakeCentral.SiteId);
        _central.UpsertCentral("item", """{"ID":"item-a"}""");
        var site = await TestSite.CreateAsync(_central);
        _sites.Add(site);
        await site.SyncAsync();
        // As an earlier version created it: SQLite's default page size (VACUUM rewrites the file with it, outside WAL mode).
        await site.ScalarAsync<string>("PRAGMA journal_mode=DELETE; PRAGMA page_size=4096; VACUUM; PRAGMA journal_mode=WAL;");
        Assert.Equal(4_096, await site.ScalarAsync<long>("PRAGMA page_size"));
        _central.UpsertCentral("item", """{"ID":"item-b"}""");

        var report = await site.Reopen().SyncAsync(null, TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcomes.Ok, report.Outcome);
        Assert.Equal(4_096, await site.ScalarAsync<long>("PRAGMA page_size"));
        Assert.Equal(2, await site.ScalarAsync<long>("SELECT COUNT(*) FROM records WHERE table_name = 'item'"));
        Assert.Equal("ok", await site.ScalarAsync<string>("PRAGMA integrity_check"));
    }
}
