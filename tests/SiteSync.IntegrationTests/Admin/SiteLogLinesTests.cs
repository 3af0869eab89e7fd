using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Admin;

/// <summary>Rule 19: the site's log names every change an administrator made, and by whom — edits, password changes, store
/// moves (on both sites), deletions — and every initialisation, with its outcome.</summary>
public sealed class SiteLogLinesTests
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task EditsPasswordChangesStoreMovesInitialisationsAndDeletesAreLoggedWithTheirUser(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var store = await central.Admin.CreateStoreAsync("PH1", "Pharmacy One");
        var kama = await central.Admin.CreateSiteAsync("kama", storeIds: [store.Id]);
        var lusaka = await central.Admin.CreateSiteAsync("lusaka");
        var gone = await central.Admin.CreateSiteAsync("gone");

        await central.Admin.UpdateSiteAsync(kama.Id, AdminClient.EditOf(kama) with { Code = "K-2", Password = "a-new-site-password" });
        var refusedInitialise = await central.Admin.InitialiseAsync("lusaka");
        await central.Admin.UpdateSiteAsync(lusaka.Id, AdminClient.EditOf(lusaka) with { StoreIds = [store.Id] });
        var initialise = await central.Admin.InitialiseAsync("lusaka");
        using var deleted = await central.Admin.SendAsync(HttpMethod.Delete, $"api/sites/{gone.Id}");
        var kamaLog = await central.Admin.LogsAsync(kama.Id);
        var lusakaLog = await central.Admin.LogsAsync(lusaka.Id);
        var fleet = await central.Admin.Http.GetStringAsync("api/logs?event=site_deleted", TestContext.Current.CancellationToken);

        Assert.Contains(kamaLog, e => (e.Event, e.Level, e.User) == ("site_edited", "info", "admin"));
        Assert.Contains(kamaLog, e => (e.Event, e.Level, e.User, e.Message) == ("password_changed", "warning", "admin", "Password changed."));
        Assert.DoesNotContain(kamaLog, e => e.Message.Contains("a-new-site-password", StringComparison.Ordinal));
        // Kama's first line of the kind is from its creation (the store came from the central site).
        var movedFromKama = Assert.Single(kamaLog, e => e.Event == "store_moved" && e.Message.Contains("'lusaka'", StringComparison.Ordinal));
        var movedToLusaka = Assert.Single(lusakaLog, e => e.Event == "store_moved");
        Assert.Equal(("admin", "admin"), (movedFromKama.User, movedToLusaka.User));
        Assert.Contains("PH1", movedFromKama.Message, StringComparison.Ordinal);
        Assert.Equal(movedFromKama.Message, movedToLusaka.Message);
        Assert.Equal((409, 200), ((int)refusedInitialise, (int)initialise));
        Assert.Equal(["error", "info"], lusakaLog.Where(e => e.Event == "initialised").OrderBy(e => e.At).Select(e => e.Level));
        Assert.All(lusakaLog.Where(e => e.Event == "initialised"), e => Assert.Null(e.User));
        Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Contains($"Site 'gone' was deleted.", fleet, StringComparison.Ordinal);
        Assert.Contains("\"user\":\"admin\"", fleet, StringComparison.Ordinal);
    }
}
