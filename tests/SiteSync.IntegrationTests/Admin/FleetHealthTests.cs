using System.Net;
using Microsoft.Extensions.Time.Testing;
using SiteSync.Protocol.Admin;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Admin;

/// <summary>The health the admin API derives for each site (ok, stale, failing, blocked, never synced) with its reason and last
/// error, from real sync requests on a FakeTimeProvider clock; and the list's filters, counts, order and pages.</summary>
public sealed class FleetHealthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A remote's whole cycle: site info, then its empty queue (central then sets "last synced").</summary>
    private static async Task SyncCycleAsync(TestCentral central, string site, string password = "site-password")
    {
        using var remote = new OmsTestClient(central.BaseAddress, site, password);
        Assert.Equal(200, (await remote.GetAsync("/sync/v5/site")).Status);
        Assert.Equal(200, (await remote.GetAsync("/sync/v5/queued_records")).Status);
    }

    private static async Task<int> WrongPasswordAsync(TestCentral central, string site)
    {
        using var remote = new OmsTestClient(central.BaseAddress, site, "not-the-password");
        return (await remote.GetAsync("/sync/v5/site")).Status;
    }

    private static Site Named(SiteList list, string name) => list.Sites.Single(s => s.Name == name);

    [Theory, ClassData(typeof(BothEngines))]
    public async Task EverySiteCarriesItsHealthReasonAndLastError(Engine engine)
    {
        var time = new FakeTimeProvider(Start);
        await using var central = await TestCentral.StartAsync(engine, time: time);
        foreach (var name in new[] { "ok", "stale", "failing-auth", "failing-cycle", "blocked", "never" })
        {
            await central.Admin.CreateSiteAsync(name);
        }
        await SyncCycleAsync(central, "stale");
        time.Advance(TimeSpan.FromDays(2));
        await SyncCycleAsync(central, "failing-auth");
        time.Advance(TimeSpan.FromMinutes(10));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(401, await WrongPasswordAsync(central, "failing-auth"));
        }
        for (var attempt = 0; attempt < 11; attempt++)
        {
            await WrongPasswordAsync(central, "blocked");
        }
        using (var noStore = new OmsTestClient(central.BaseAddress, "failing-cycle", "site-password"))
        {
            Assert.Equal(200, (await noStore.GetAsync("/sync/v5/site")).Status);
            Assert.Equal(409, (await noStore.PostAsync("/sync/v5/initialise", "{}")).Status);
        }
        await SyncCycleAsync(central, "ok");
        time.Advance(TimeSpan.FromHours(1));

        var list = await central.Admin.ListSitesAsync();

        Assert.Equal((SiteHealths.Ok, "Synced 1 h ago."), (Named(list, "ok").Health, Named(list, "ok").HealthReason));
        Assert.Equal((SiteHealths.Stale, "No successful sync for 2 d (stale after 24 h)."),
            (Named(list, "stale").Health, Named(list, "stale").HealthReason));
        Assert.Equal((SiteHealths.Failing, "The last 3 authentications failed, the latest 1 h ago: Wrong password (attempt 3 of 10)."),
            (Named(list, "failing-auth").Health, Named(list, "failing-auth").HealthReason));
        Assert.Equal(SiteHealths.Failing, Named(list, "failing-cycle").Health);
        Assert.StartsWith("The last sync failed 1 h ago: Initialisation refused: the site has no store.", Named(list, "failing-cycle").HealthReason,
            StringComparison.Ordinal);
        Assert.Equal(SiteHealths.Blocked, Named(list, "blocked").Health);
        Assert.Equal((SiteHealths.NeverSynced, "Has never connected: set it up on its device with its name and password."),
            (Named(list, "never").Health, Named(list, "never").HealthReason));
        Assert.Equal(new SiteError(Start.AddDays(2).AddMinutes(10), "auth_failed", "Wrong password (attempt 3 of 10)."), Named(list, "failing-auth").LastError);
        Assert.Equal("initialised", Named(list, "failing-cycle").LastError?.Event);
        Assert.Null(Named(list, "ok").LastError);
        Assert.Equal(new HealthCounts(Ok: 2, Stale: 1, Failing: 2, Blocked: 1, NeverSynced: 1), list.Counts);
        Assert.Equal((SiteHealths.Ok, "SiteSync Central"), (list.Sites[0].Health, list.Sites[0].DeviceType));
        Assert.False(string.IsNullOrEmpty(list.Sites[0].AppVersion));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ASuccessfulAuthenticationEndsTheFailureStreak(Engine engine)
    {
        var time = new FakeTimeProvider(Start);
        await using var central = await TestCentral.StartAsync(engine, time: time);
        await central.Admin.CreateSiteAsync("kama");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await WrongPasswordAsync(central, "kama");
        }
        var failing = (await central.Admin.ListSitesAsync()).Sites.Single(s => s.Name == "kama");
        time.Advance(TimeSpan.FromSeconds(1));
        await SyncCycleAsync(central, "kama");
        var recovered = (await central.Admin.ListSitesAsync()).Sites.Single(s => s.Name == "kama");
        time.Advance(TimeSpan.FromSeconds(1));
        await WrongPasswordAsync(central, "kama");
        time.Advance(TimeSpan.FromSeconds(1));
        await WrongPasswordAsync(central, "kama");
        var twoAgain = (await central.Admin.ListSitesAsync()).Sites.Single(s => s.Name == "kama");

        Assert.Equal(SiteHealths.Failing, failing.Health);
        Assert.Equal(SiteHealths.Ok, recovered.Health);
        // Two refusals since the success are not yet "the last N": the streak started again at one.
        Assert.Equal(SiteHealths.Ok, twoAgain.Health);
        Assert.Equal("auth_failed", twoAgain.LastError?.Event);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheStaleThresholdIsConfigurable(Engine engine)
    {
        var time = new FakeTimeProvider(Start);
        await using var central = await TestCentral.StartAsync(engine, new Dictionary<string, string?> { ["SiteSync:Fleet:StaleAfter"] = "02:00:00" }, time);
        await central.Admin.CreateSiteAsync("kama");
        await SyncCycleAsync(central, "kama");

        time.Advance(TimeSpan.FromMinutes(119));
        var before = (await central.Admin.ListSitesAsync()).Sites.Single(s => s.Name == "kama");
        time.Advance(TimeSpan.FromMinutes(2));
        var after = (await central.Admin.ListSitesAsync()).Sites.Single(s => s.Name == "kama");

        Assert.Equal(SiteHealths.Ok, before.Health);
        Assert.Equal((SiteHealths.Stale, "No successful sync for 2 h (stale after 2 h)."), (after.Health, after.HealthReason));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheListFiltersCountsSortsAndPages(Engine engine)
    {
        var time = new FakeTimeProvider(Start);
        await using var central = await TestCentral.StartAsync(engine, time: time);
        var store = await central.Admin.CreateStoreAsync("PH-9", "Riverside Pharmacy");
        for (var i = 1; i <= 12; i++)
        {
            await central.Admin.CreateSiteAsync($"site {i:00}", storeIds: i == 4 ? [store.Id] : null);
        }
        await SyncCycleAsync(central, "site 03");
        time.Advance(TimeSpan.FromDays(10));
        await SyncCycleAsync(central, "site 05");

        var page = await central.Admin.ListSitesAsync(query: "?sort=name&dir=desc&offset=2&limit=5");
        var stale = await central.Admin.ListSitesAsync(query: "?health=stale");
        var idle = await central.Admin.ListSitesAsync(query: "?notSyncedForDays=7&sort=synced");
        var byStore = await central.Admin.ListSitesAsync(query: "?search=ph-9");
        var byHealthWord = await central.Admin.ListSitesAsync(query: "?search=stale");

        // The central server is first in every order, so it is the first of the skipped two.
        Assert.Equal(["site 11", "site 10", "site 09", "site 08", "site 07"], page.Sites.Select(s => s.Name));
        Assert.Equal((13, 13, 2, 5), (page.Shown, page.Total, page.Offset, page.Limit));
        Assert.Equal(["site 03"], stale.Sites.Select(s => s.Name));
        Assert.Equal((1, new HealthCounts(2, 1, 0, 0, 10)), (stale.Shown, stale.Counts));
        Assert.Equal(11, idle.Shown);
        Assert.Equal("site 03", idle.Sites[^1].Name);
        Assert.Equal(["site 04"], byStore.Sites.Select(s => s.Name));
        Assert.Equal(["site 03"], byHealthWord.Sites.Select(s => s.Name));
    }

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task BadListParametersAre400NamingTheParameter(Engine engine, string query, string field)
    {
        await using var central = await TestCentral.StartAsync(engine);

        using var response = await central.Admin.Http.GetAsync($"api/sites{query}", Ct);
        using var export = await central.Admin.Http.GetAsync($"api/sites/export.csv{query}", Ct);

        var problem = await AdminClient.ProblemAsync(response);
        Assert.Equal((400, "validation_failed"), (problem.Status, problem.Code));
        Assert.Contains($"\"field\":\"{field}\"", problem.Body, StringComparison.Ordinal);
        Assert.Equal(field is "offset" or "limit" ? HttpStatusCode.OK : HttpStatusCode.BadRequest, export.StatusCode);
    }

    public static TheoryData<Engine, string, string> BadQueries()
    {
        var data = new TheoryData<Engine, string, string>();
        foreach (var engine in new[] { Engine.Sqlite, Engine.Postgres })
        {
            data.Add(engine, "?health=sick", "health");
            data.Add(engine, "?sort=password", "sort");
            data.Add(engine, "?dir=up", "dir");
            data.Add(engine, "?limit=0", "limit");
            data.Add(engine, "?limit=abc", "limit");
            data.Add(engine, "?offset=-1", "offset");
            data.Add(engine, "?notSyncedForDays=0", "notSyncedForDays");
        }
        return data;
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheCsvExportHoldsEveryFilteredSite(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await central.Admin.CreateSiteAsync("kama", code: "K,1");
        await central.Admin.CreateSiteAsync("lusaka");
        await SyncCycleAsync(central, "lusaka");

        using var response = await central.Admin.Http.GetAsync("api/sites/export.csv?health=never_synced", Ct);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.StartsWith("attachment; filename=sites-", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("2,\"K,1\",kama,,,,,,active,never_synced,Has never connected", lines[1], StringComparison.Ordinal);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ASitesFunderComesFromItsSupportContractUnlessSetOnTheSite(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var kama = await central.Admin.CreateSiteAsync("Kama");
        var lusaka = await central.Admin.CreateSiteAsync("Lusaka");
        using var import = await central.Admin.Http.PostAsync("api/support/contracts", new StringContent(
            """[{"funderName":"Fund A","siteName":"kama"},{"funderName":"Fund B","siteName":"Lusaka"}]""",
            System.Text.Encoding.UTF8, "application/json"), Ct);
        await central.Admin.UpdateSiteAsync(lusaka.Id, AdminClient.EditOf(lusaka) with { FunderName = "Fund C" });
        // Putting back what GET answered (the contract's funder) does not pin it on the site.
        var unchanged = await central.Admin.UpdateSiteAsync(kama.Id, AdminClient.EditOf(await central.Admin.GetSiteAsync(kama.Id)));

        var one = await central.Admin.GetSiteAsync(kama.Id);
        var list = await central.Admin.ListSitesAsync();

        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Equal(("Fund A", "Fund A"), (one.FunderName, unchanged.FunderName));
        Assert.Equal(["Fund A", "Fund C"], list.Sites.Skip(1).Select(s => s.FunderName));
        Assert.Null(await central.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Sites.Where(s => s.Id == kama.Id).Select(s => s.FunderName), Ct)));
    }
}
