using System.Net;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Admin;

public sealed class SiteListTests
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task FreshServerListsTheCentralServerAsSiteOne(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);

        var list = await central.Admin.ListSitesAsync();

        var site = Assert.Single(list.Sites);
        Assert.Equal((1, 1), (list.Shown, list.Total));
        Assert.Equal(1, site.Id);
        Assert.Equal("Central Server", site.Name);
        Assert.True(site.IsActiveOnThisDatafile);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task CentralComesFirstThenSitesByNameWithShownOfTotal(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await central.Admin.CreateSiteAsync("kama");
        await central.Admin.CreateSiteAsync("Djibouti");
        await central.Admin.CreateSiteAsync("Zeta clinic");
        await central.Admin.CreateSiteAsync("Aardvark store");

        var all = await central.Admin.ListSitesAsync();
        var filtered = await central.Admin.ListSitesAsync("DJI");

        Assert.Equal(["Central Server", "Aardvark store", "Djibouti", "kama", "Zeta clinic"], all.Sites.Select(s => s.Name));
        Assert.Equal((5, 5), (all.Shown, all.Total));
        Assert.Equal(["Djibouti"], filtered.Sites.Select(s => s.Name));
        Assert.Equal((1, 5), (filtered.Shown, filtered.Total));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task SiteIdsAreAssignedInOrderAndNeverReused(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var first = await central.Admin.CreateSiteAsync("first");
        var second = await central.Admin.CreateSiteAsync("second");

        using var deleted = await central.Admin.Http.DeleteAsync($"api/sites/{second.Id}", TestContext.Current.CancellationToken);
        var third = await central.Admin.CreateSiteAsync("third");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal([2, 3, 4], new[] { first.Id, second.Id, third.Id });
    }
}
