using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using SiteSync.IntegrationTests.Support;
using SiteSync.Protocol.Admin;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Admin;

/// <summary>DESIGN §3 rules 4–17 through the admin API.</summary>
public sealed class SiteRulesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ADuplicateNameIsRefusedWhateverItsCase(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var existing = await central.Admin.CreateSiteAsync("Kama");

        using var response = await central.Admin.Http.PostAsync("api/sites",
            Json("""{"name":"KAMA","password":"a-password"}"""), Ct);
        var problem = await AdminClient.ProblemAsync(response);

        Assert.Equal((409, "duplicate_site_name"), (problem.Status, problem.Code));
        Assert.Contains($"Site {existing.Id}", problem.Title, StringComparison.Ordinal);
        Assert.Equal(2, (await central.Admin.ListSitesAsync()).Total);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AMobileSiteCannotHaveASecondStore(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var first = await central.Admin.CreateStoreAsync("S1", "Store one");
        var second = await central.Admin.CreateStoreAsync("S2", "Store two");
        var site = await central.Admin.CreateSiteAsync("tablet", type: "mobile", storeIds: [first.Id]);

        using var response = await central.Admin.PutSiteAsync(site.Id, AdminClient.EditOf(site) with { StoreIds = [first.Id, second.Id] });
        var problem = await AdminClient.ProblemAsync(response);

        Assert.Equal((409, "mobile_site_store_limit"), (problem.Status, problem.Code));
        Assert.Equal([first.Id], (await central.Admin.GetSiteAsync(site.Id)).Stores.Select(s => s.Id));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ASecondOpenMSupplyCentralServerIsRefusedNamingTheSiteThatHasIt(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var first = await central.Admin.CreateSiteAsync("oms-one");
        var second = await central.Admin.CreateSiteAsync("oms-two");
        await central.Admin.UpdateSiteAsync(first.Id, AdminClient.EditOf(first) with
        {
            IsOmSupplyCentralServer = true,
            OmSupplyCentralServerUrl = "https://one.example.org",
        });

        using var response = await central.Admin.PutSiteAsync(second.Id, AdminClient.EditOf(second) with
        {
            IsOmSupplyCentralServer = true,
            OmSupplyCentralServerUrl = "https://two.example.org",
        });
        var problem = await AdminClient.ProblemAsync(response);

        Assert.Equal((409, "om_central_server_taken"), (problem.Status, problem.Code));
        Assert.Contains("oms-one", problem.Title, StringComparison.Ordinal);
        Assert.False((await central.Admin.GetSiteAsync(second.Id)).IsOmSupplyCentralServer);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheCentralSiteCannotBeTheOpenMSupplyCentralServer(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var site = await central.Admin.GetSiteAsync(1);
        var before = await DatabaseState.ReadAsync(central);

        using var response = await central.Admin.PutSiteAsync(1, AdminClient.EditOf(site) with
        {
            IsOmSupplyCentralServer = true,
            OmSupplyCentralServerUrl = "https://central.example.org",
        });
        var problem = await AdminClient.ProblemAsync(response);
        var after = await central.Admin.GetSiteAsync(1);

        Assert.Equal((409, "om_central_server_not_allowed"), (problem.Status, problem.Code));
        Assert.Equal((false, null), (after.IsOmSupplyCentralServer, after.OmSupplyCentralServerUrl));
        Assert.Equal(before, await DatabaseState.ReadAsync(central));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ASiteWithStoresCannotBeDeleted(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var store = await central.Admin.CreateStoreAsync("S1", "Pharmacy");
        var site = await central.Admin.CreateSiteAsync("clinic", storeIds: [store.Id]);

        using var response = await central.Admin.Http.DeleteAsync($"api/sites/{site.Id}", Ct);
        var problem = await AdminClient.ProblemAsync(response);

        Assert.Equal((409, "site_has_stores"), (problem.Status, problem.Code));
        Assert.Contains("Pharmacy", problem.Title, StringComparison.Ordinal);
        Assert.Equal(site.Id, (await central.Admin.GetSiteAsync(site.Id)).Id);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheSiteActiveOnThisDatafileCannotBeDeleted(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var before = await DatabaseState.ReadAsync(central);

        using var response = await central.Admin.Http.DeleteAsync("api/sites/1", Ct);

        Assert.Equal((409, "site_is_active_on_this_datafile"), ((int)response.StatusCode, (await AdminClient.ProblemAsync(response)).Code));
        Assert.Equal("Central Server", (await central.Admin.GetSiteAsync(1)).Name);
        Assert.Equal(before, await DatabaseState.ReadAsync(central));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AFailingEditChangesNothing(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var store = await central.Admin.CreateStoreAsync("S1", "Store one");
        var other = await central.Admin.CreateStoreAsync("S2", "Store two");
        var site = await central.Admin.CreateSiteAsync("clinic", storeIds: [store.Id], code: "C1");
        var changeLogBefore = await central.QueryAsync(db => db.ChangeLog.CountAsync(Ct));

        // A valid rename, code and store move together with one unknown store: nothing of it may stick.
        using var response = await central.Admin.PutSiteAsync(site.Id,
            new SiteEdit("C2", "renamed", "new-password-1", "standalone", [other.Id, "no-such-store"], null, null, "A funder"));

        var after = await central.Admin.GetSiteAsync(site.Id);
        Assert.Equal((409, "unknown_store"), ((int)response.StatusCode, (await AdminClient.ProblemAsync(response)).Code));
        Assert.Equal(("clinic", "C1", (string?)null), (after.Name, after.Code, after.FunderName));
        Assert.Equal([store.Id], after.Stores.Select(s => s.Id));
        Assert.Equal(1, (await central.Admin.ListStoresAsync()).Single(s => s.Id == other.Id).SiteId);
        Assert.Equal(changeLogBefore, await central.QueryAsync(db => db.ChangeLog.CountAsync(Ct)));
        using var client = new OmsTestClient(central.BaseAddress, "clinic", "site-password");
        Assert.Equal(200, (await client.GetAsync("/sync/v5/site")).Status);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AMovedStoresRecordGoesOutInTheChangeLogWithTheNewSiteId(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var store = await central.Admin.CreateStoreAsync("S1", "Store one");
        var site = await central.Admin.CreateSiteAsync("clinic");

        await central.Admin.UpdateSiteAsync(site.Id, AdminClient.EditOf(site) with { StoreIds = [store.Id] });

        var record = await central.Admin.GetRecordAsync("store", store.Id);
        Assert.Equal(site.Id, record?.GetProperty("sync_id_remote_site").GetInt32());
        var rows = await central.QueryAsync(db => db.ChangeLog.Where(c => c.TableName == "store" && c.RecordId == store.Id)
            .OrderBy(c => c.Id).Select(c => c.Action).ToListAsync(Ct));
        Assert.Equal(["Update", "Update"], rows);
        using var client = new OmsTestClient(central.BaseAddress, "clinic", "site-password");
        await client.PullCentralAsync();
        Assert.Equal(site.Id, client.Records[("store", store.Id)]["sync_id_remote_site"]!.GetValue<int>());
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task RemovingAStoreMovesItBackToTheCentralSite(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var store = await central.Admin.CreateStoreAsync("S1", "Store one");
        var site = await central.Admin.CreateSiteAsync("clinic", storeIds: [store.Id]);

        var edited = await central.Admin.UpdateSiteAsync(site.Id, AdminClient.EditOf(site) with { StoreIds = [] });

        Assert.Empty(edited.Stores);
        Assert.Equal(1, (await central.Admin.ListStoresAsync()).Single().SiteId);
        Assert.Contains((await central.Admin.GetSiteAsync(1)).Stores, s => s.Id == store.Id);
        Assert.Equal(1, (await central.Admin.GetRecordAsync("store", store.Id))?.GetProperty("sync_id_remote_site").GetInt32());
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task EditsOfASiteThatHasSyncedCarryWarnings(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var store = await central.Admin.CreateStoreAsync("S1", "Store one");
        var site = await central.Admin.CreateSiteAsync("clinic", "site-password", storeIds: [store.Id]);
        var fresh = await central.Admin.CreateSiteAsync("fresh");
        using var client = new OmsTestClient(central.BaseAddress, "clinic", "site-password");
        await client.GetAsync("/sync/v5/site");

        using var preview = await central.Admin.PutSiteAsync(site.Id, AdminClient.EditOf(site) with { Name = "clinic-2", Password = "another-pass" },
            dryRun: true);
        var previewed = await preview.Content.ReadFromJsonAsync<Site>(Ct);
        var unchanged = await central.Admin.GetSiteAsync(site.Id);
        var moved = await central.Admin.UpdateSiteAsync(fresh.Id, AdminClient.EditOf(fresh) with { StoreIds = [store.Id] });
        var freshRename = await central.Admin.UpdateSiteAsync(fresh.Id, AdminClient.EditOf(moved) with { Name = "fresh-2" });

        Assert.Equal(["password_changed", "site_renamed"], previewed!.Warnings!.Select(w => w.Code).Order());
        Assert.Equal("clinic", unchanged.Name);
        Assert.Equal(["store_moved_away"], moved.Warnings!.Select(w => w.Code));
        Assert.Null(freshRename.Warnings);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ThePasswordIsStoredAsASlowHashOfTheSha256Hex(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var site = await central.Admin.CreateSiteAsync("clinic", "correct horse battery");

        var stored = await central.QueryAsync(db => db.Sites.Where(s => s.Id == site.Id).Select(s => s.PasswordHash).SingleAsync(Ct));
        using var client = new OmsTestClient(central.BaseAddress, "clinic", "correct horse battery");

        Assert.StartsWith("AQAAAA", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(OmsTestClient.Sha256Hex("correct horse battery"), stored!, StringComparison.Ordinal);
        Assert.True(new Microsoft.AspNetCore.Identity.PasswordHasher<object>().VerifyHashedPassword(new object(), stored!,
            OmsTestClient.Sha256Hex("correct horse battery")) != Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed);
        Assert.Equal(200, (await client.GetAsync("/sync/v5/site")).Status);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task CodeAndFunderAreFreeTextThatDoNotAffectSync(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var store = await central.Admin.CreateStoreAsync("S1", "Store one");
        var site = await central.Admin.CreateSiteAsync("clinic", storeIds: [store.Id]);
        using var client = new OmsTestClient(central.BaseAddress, "clinic", "site-password");
        await client.GetAsync("/sync/v5/site");

        var edited = await central.Admin.UpdateSiteAsync(site.Id, AdminClient.EditOf(site) with { Code = "NTH-07", FunderName = "Global Fund" });

        Assert.Equal(("NTH-07", "Global Fund"), (edited.Code, edited.FunderName));
        Assert.Null(edited.Warnings);
        Assert.Equal(200, (await client.GetAsync("/sync/v5/site")).Status);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
