using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Admin;

public sealed class SiteCreateWithStoresTests
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task CreatingASiteWithStoresMovesThemToTheNewSite(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var store = await central.Admin.CreateStoreAsync("PH1", "Pharmacy One");

        var site = await central.Admin.CreateSiteAsync("kama", storeIds: [store.Id]);

        Assert.Equal([store.Id], site.Stores.Select(s => s.Id));
        Assert.Equal(site.Id, (await central.Admin.ListStoresAsync()).Single(s => s.Id == store.Id).SiteId);
    }
}
