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
    public async Task ListShowsItsColumnsCentralFirstThenByNameAndHowManyAreShown()
    {
        await SeedAsync();
        await LoginAsync();

        var headers = await Page.Locator("#site-list-region thead th a").AllInnerTextsAsync();

        Assert.Equal(["ID", "Site code", "Site name ▲", "Stores", "Device type", "App version", "Last synced", "Last connection",
            "Health", "Last error"], headers.Select(h => h.Trim()));
        Assert.Equal(["Central Server", "Aardvark store", "Djibouti", "kama", "Zeta clinic"], await SiteNamesAsync());
        await Expect(Page.Locator("#site-count")).ToHaveTextAsync("Showing 1–5 of 5 sites.");
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
    public async Task TypingInTheFilterShowsMatchingSitesAndHowMany()
    {
        await SeedAsync();
        await LoginAsync();

        // Typed, not submitted: the list follows as you type.
        await Page.GetByLabel("Filter sites").PressSequentiallyAsync("dji");

        await Expect(Page.Locator("#site-count")).ToHaveTextAsync("Showing 1–1 of 1 site (5 in all).");
        Assert.Equal(["Djibouti"], await SiteNamesAsync());
        await Expect(Page).ToHaveURLAsync(new Regex("search=dji"));
    }

    [Fact]
    public async Task SearchFindsSitesByStoreNameStoreCodeCodeAndHealth()
    {
        var pharmacy = await Central.Admin.CreateStoreAsync("PH-77", "Riverside Pharmacy");
        await Central.Admin.CreateSiteAsync("kama", storeIds: [pharmacy.Id], code: "KM-1");
        await Central.Admin.CreateSiteAsync("Djibouti", code: "DJ-2");
        await Central.Admin.CreateSiteAsync("Lusaka", code: "LS-3");
        await Central.Admin.SyncCycleAsync("Lusaka");
        await LoginAsync();

        async Task<IReadOnlyList<string>> SearchAsync(string text)
        {
            await Page.GetByLabel("Filter sites").FillAsync(text);
            await Button("Filter").ClickAsync();
            // The enhanced form swaps the list in and puts the query in the address bar (as a form encodes it).
            await Expect(Page).ToHaveURLAsync(new Regex($"search={Regex.Escape(text.Replace(' ', '+'))}(&|$)"));
            return await SiteNamesAsync();
        }

        Assert.Equal(["kama"], await SearchAsync("riverside"));
        Assert.Equal(["kama"], await SearchAsync("ph-77"));
        Assert.Equal(["Djibouti"], await SearchAsync("dj-2"));
        Assert.Equal(["Djibouti", "kama"], await SearchAsync("never synced"));
        Assert.Equal(["Central Server", "Lusaka"], await SearchAsync("ok"));
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
    public async Task TheCentralServersRowShowsItsDeviceTypeAndVersionAndHasNoDelete()
    {
        await LoginAsync();

        var row = Page.GetByRole(AriaRole.Row, new() { Name = "Site 1 Central Server" });

        await Expect(row.GetByRole(AriaRole.Cell).Nth(4)).ToHaveTextAsync("SiteSync Central");
        await Expect(row.GetByRole(AriaRole.Cell).Nth(5)).ToHaveTextAsync(new Regex(@"^\d+\.\d+"));
        await Expect(row.Locator(".health")).ToHaveTextAsync("OK");
        await Expect(row.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Delete") })).ToHaveCountAsync(0);
        Assert.Equal("SiteSync Central", (await Central.Admin.GetSiteAsync(1)).DeviceType);
    }
}
