using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SiteSync.E2ETests.Support;
using static Microsoft.Playwright.Assertions;

namespace SiteSync.E2ETests;

public sealed class SiteListTests(BrowserFixture browser) : UiTest(browser)
{
    private async Task SeedAsync()
    {
        await Central.Admin.CreateSiteAsync("kama", code: "K");
        await Central.Admin.CreateSiteAsync("Djibouti", code: "DJ");
        await Central.Admin.CreateSiteAsync("Zeta clinic", code: "Z");
        await Central.Admin.CreateSiteAsync("Aardvark store", code: "A");
    }

    [Fact]
    public async Task ListShowsTheRuleOneColumnsCentralFirstThenByNameAndShownOfTotal()
    {
        await SeedAsync();
        await LoginAsync();

        var headers = await Page.Locator("#site-list-region thead th:not(.select)").AllInnerTextsAsync();

        Assert.Equal(["ID", "Site code", "Site name ▲", "Device type", "App version", "Last synced date", "Last synced time",
            "Last connection date", "Last connection time", "Status"], headers.Select(h => h.Trim()));
        Assert.Equal(["Central Server", "Aardvark store", "Djibouti", "kama", "Zeta clinic"], await SiteNamesAsync());
        await Expect(Page.Locator("#site-count")).ToHaveTextAsync("5/5");
    }

    [Fact]
    public async Task ClickingAColumnHeaderSortsAndTheCentralServerStaysFirst()
    {
        await SeedAsync();
        await LoginAsync();

        await Page.GetByRole(AriaRole.Link, new() { Name = "Site name" }).ClickAsync();
        await Expect(Page.Locator("th[aria-sort=descending]")).ToContainTextAsync("Site name");
        var byNameDescending = await SiteNamesAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Site code" }).ClickAsync();
        await Expect(Page.Locator("th[aria-sort=ascending]")).ToContainTextAsync("Site code");
        var byCode = await SiteNamesAsync();

        Assert.Equal(["Central Server", "Zeta clinic", "kama", "Djibouti", "Aardvark store"], byNameDescending);
        Assert.Equal(["Central Server", "Aardvark store", "Djibouti", "kama", "Zeta clinic"], byCode);
    }

    [Fact]
    public async Task TypingInTheFilterShowsMatchingSitesAndShownOfTotal()
    {
        await SeedAsync();
        await LoginAsync();

        // Typed, not submitted: the list follows as you type.
        await Page.GetByLabel("Filter sites").PressSequentiallyAsync("dji");

        await Expect(Page.Locator("#site-count")).ToHaveTextAsync("1/5");
        Assert.Equal(["Djibouti"], await SiteNamesAsync());
        await Expect(Page).ToHaveURLAsync(new Regex("search=dji"));
    }

    [Fact]
    public async Task DoubleClickOrEnterOnARowOpensTheSite()
    {
        var kama = await Central.Admin.CreateSiteAsync("kama");
        await LoginAsync();

        await Page.GetByRole(AriaRole.Row, new() { Name = $"Site {kama.Id} kama" }).GetByRole(AriaRole.Cell).First.DblClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"/sites/{kama.Id}$"));
        await Page.GoBackAsync();
        await Page.GetByRole(AriaRole.Row, new() { Name = $"Site {kama.Id} kama" }).FocusAsync();
        await Page.Keyboard.PressAsync("Enter");

        await Expect(Page).ToHaveURLAsync(new Regex($"/sites/{kama.Id}$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"Site {kama.Id}: kama" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task DeletingASiteWithStoresIsRefusedWithTheReason()
    {
        var store = await Central.Admin.CreateStoreAsync("PH1", "Pharmacy One");
        var kama = await Central.Admin.CreateSiteAsync("kama", [store.Id]);
        await LoginAsync();

        await Page.GetByLabel("Select kama").CheckAsync();
        await Button("Delete").ClickAsync();

        await Expect(Alert).ToContainTextAsync($"Site {kama.Id} cannot be deleted: 'kama' still has 1 store(s) (Pharmacy One)");
        Assert.Equal("kama", (await Central.Admin.GetSiteAsync(kama.Id)).Name);
    }

    [Fact]
    public async Task DeletingTheCentralServerIsRefused()
    {
        await LoginAsync();

        await Page.GetByLabel("Select Central Server").CheckAsync();
        await Button("Delete").ClickAsync();

        await Expect(Alert).ToContainTextAsync("is the site active on this datafile");
        Assert.Equal(1, (await Central.Admin.ListSitesAsync()).Total);
    }

    [Fact]
    public async Task DeletingASiteWithoutStoresRemovesIt()
    {
        var kama = await Central.Admin.CreateSiteAsync("kama");
        await Central.Admin.CreateSiteAsync("Djibouti");
        await LoginAsync();

        // A click on the row (not on its link) selects it, as in the desktop list.
        await Page.GetByRole(AriaRole.Row, new() { Name = $"Site {kama.Id} kama" }).Locator("td.num").ClickAsync();
        await Expect(Page.GetByLabel("Select kama")).ToBeCheckedAsync();
        await Button("Delete").ClickAsync();

        await Expect(Status).ToHaveTextAsync($"Site {kama.Id} deleted.");
        await Expect(Page.Locator("#site-count")).ToHaveTextAsync("2/2");
        Assert.Equal(["Central Server", "Djibouti"], (await Central.Admin.ListSitesAsync()).Sites.Select(s => s.Name));
    }
}
