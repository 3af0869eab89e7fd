using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SiteSync.E2ETests.Support;
using SiteSync.Remote;
using static Microsoft.Playwright.Assertions;

namespace SiteSync.E2ETests;

/// <summary>The site window's integrity section (issue 8), after a real remote site ran its verification against this central.</summary>
public sealed class IntegrityTests(BrowserFixture browser) : UiTest(browser)
{
    [Fact]
    public async Task TheSiteWindowShowsWhetherTheSiteMatchesCentralAndWhichRecordsDiffer()
    {
        var store = await Central.Admin.CreateStoreAsync("PH1", "Pharmacy One");
        var site = await Central.Admin.CreateSiteAsync("Kama", storeIds: [store.Id]);
        var directory = Directory.CreateTempSubdirectory("sitesync-e2e-remote-").FullName;
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var remote = new RemoteSite(http, new RemoteSiteOptions { DataDirectory = directory, HardwareId = "hw-kama" });
        try
        {
            await remote.InitAsync(new RemoteSetup(Central.BaseAddress, "Kama", "site-password"), Ct);
            await remote.SyncAsync(null, Ct);
            await remote.PutRecordsAsync("transact",
                $$"""[{"ID":"t-1","store_ID":"{{store.Id}}","status":"nw"},{"ID":"t-2","store_ID":"{{store.Id}}","status":"nw"}]""", Ct);
            await remote.SyncAsync(null, Ct);
            Assert.True((await remote.VerifyAsync(Ct)).Matches);
            await LoginAsync();
            await Page.GotoAsync($"/sites/{site.Id}");
            var integrity = Page.GetByRole(AriaRole.Region, new() { Name = "Integrity" });
            await Expect(integrity).ToContainTextAsync("Matches central (checked just now)");

            await TamperAtTheSiteAsync(directory, "UPDATE records SET data = replace(data, '\"nw\"', '\"cn\"') WHERE record_id = 't-1'");
            await Central.QueryAsync(db => db.Records.Where(r => r.TableName == "transact" && r.RecordId == "t-2")
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Data, r => r.Data!.Replace("\"nw\"", "\"fn\"")), Ct));
            Assert.False((await remote.VerifyAsync(Ct)).Matches);
            await Page.ReloadAsync();

            await Expect(integrity).ToContainTextAsync("Differs from central (checked just now): 1 of");
            var tables = integrity.GetByRole(AriaRole.Table, new() { Name = "Tables that differ" });
            await Expect(tables.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
            await Expect(tables.GetByRole(AriaRole.Row).Nth(1).GetByRole(AriaRole.Cell)).ToHaveTextAsync(["transact", $"Pharmacy One ({store.Id})", "2", "2"]);
            var records = integrity.GetByRole(AriaRole.Table, new() { Name = "Records that differ" });
            await Expect(records.GetByRole(AriaRole.Row)).ToHaveCountAsync(3);
            await Expect(records.GetByRole(AriaRole.Row).Nth(1).GetByRole(AriaRole.Cell))
                .ToHaveTextAsync(["transact", "t-1", $"Pharmacy One ({store.Id})", "different content"]);
            await Expect(records.GetByRole(AriaRole.Row).Nth(2).GetByRole(AriaRole.Cell))
                .ToHaveTextAsync(["transact", "t-2", $"Pharmacy One ({store.Id})", "different content"]);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Changes the remote's SQLite behind the engine's back, as a faulty disk or a support session would.</summary>
    private static async Task TamperAtTheSiteAsync(string directory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "sitesync-remote.db")};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
    }
}
