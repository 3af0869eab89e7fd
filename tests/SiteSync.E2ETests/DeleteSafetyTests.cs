using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SiteSync.E2ETests.Support;
using static Microsoft.Playwright.Assertions;

namespace SiteSync.E2ETests;

/// <summary>No destructive surprise: on the list, Enter opens and never deletes; deleting is a page of its own that names the
/// site and asks, with or without script; the keyboard alone can do all of it, and only on purpose.</summary>
public sealed class DeleteSafetyTests(BrowserFixture browser) : UiTest(browser)
{
    /// <summary>Presses Tab until <paramref name="target"/> has the focus, as a keyboard user does (at most 60 times).</summary>
    private async Task TabToAsync(ILocator target)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                return;
            }
            await Page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail("Tab never reached the element.");
    }

    private async Task<bool> ExistsAsync(int id) => (await Central.Admin.ListSitesAsync()).Sites.Any(s => s.Id == id);

    [Fact]
    public async Task EnterOnEveryPartOfARowOpensTheSiteOrAsksAndNeverDeletes()
    {
        var kama = await Central.Admin.CreateSiteAsync("Kama");
        await LoginAsync();
        var row = Page.GetByRole(AriaRole.Row, new() { Name = $"Site {kama.Id} Kama" });

        await TabToAsync(row);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page).ToHaveURLAsync(new Regex($"/sites/{kama.Id}$"));
        await Page.GoBackAsync();
        await TabToAsync(row.GetByRole(AriaRole.Link, new() { Name = "Kama", Exact = true }));
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page).ToHaveURLAsync(new Regex($"/sites/{kama.Id}$"));
        await Page.GoBackAsync();
        await TabToAsync(row.GetByRole(AriaRole.Link, new() { Name = "Delete Kama…" }));
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"Delete site {kama.Id}: Kama" })).ToBeVisibleAsync();
        // The confirmation page: Enter with nothing focused, and Space, do nothing.
        await Page.Keyboard.PressAsync("Enter");
        await Page.Keyboard.PressAsync("Space");

        await Expect(Page).ToHaveURLAsync(new Regex($"/sites/{kama.Id}/delete$"));
        Assert.True(await ExistsAsync(kama.Id));
        await Expect(Page.Locator(".confirm")).ToContainTextAsync($"Delete site {kama.Id} 'Kama'?");
    }

    [Fact]
    public async Task KeyboardOnlyDeletionNamesTheSiteCancelKeepsItAndOnlyTheNamedButtonDeletes()
    {
        var kama = await Central.Admin.CreateSiteAsync("Kama");
        await Central.Admin.CreateSiteAsync("Lusaka");
        await LoginAsync();
        var delete = Page.GetByRole(AriaRole.Link, new() { Name = "Delete Kama…" });

        await TabToAsync(delete);
        await Page.Keyboard.PressAsync("Enter");
        await TabToAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Cancel" }));
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page).ToHaveURLAsync(new Regex("/$"));
        var afterCancel = await ExistsAsync(kama.Id);
        await TabToAsync(delete);
        await Page.Keyboard.PressAsync("Enter");
        await TabToAsync(Button("Delete site 'Kama'"));
        await Page.Keyboard.PressAsync("Enter");

        Assert.True(afterCancel);
        await Expect(Status).ToHaveTextAsync($"Site {kama.Id} 'Kama' deleted.");
        Assert.False(await ExistsAsync(kama.Id));
        Assert.Equal(["Central Server", "Lusaka"], await SiteNamesAsync());
    }

    [Fact]
    public async Task DeletingWorksWithoutJavaScript()
    {
        var kama = await Central.Admin.CreateSiteAsync("Kama");
        await using var context = await NewContextAsync(javaScript: false);
        var page = await context.NewPageAsync();
        await LoginAsync(page: page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Delete Kama…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete site 'Kama'" }).ClickAsync();

        await Expect(page.Locator("[role=status]")).ToHaveTextAsync($"Site {kama.Id} 'Kama' deleted.");
        Assert.False(await ExistsAsync(kama.Id));
    }

    [Fact]
    public async Task ASiteWithStoresIsRefusedOnTheConfirmationPageWithTheReasonAndNoDeleteButton()
    {
        var store = await Central.Admin.CreateStoreAsync("PH1", "Pharmacy One");
        var kama = await Central.Admin.CreateSiteAsync("kama", storeIds: [store.Id]);
        await LoginAsync();

        await Page.GetByRole(AriaRole.Link, new() { Name = "Delete kama…" }).ClickAsync();

        await Expect(Alert).ToHaveTextAsync("'kama' still has 1 store(s) (Pharmacy One). Remove them first: removed stores move to the central server.");
        await Expect(Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Delete") })).ToHaveCountAsync(0);
        Assert.True(await ExistsAsync(kama.Id));
    }

    [Fact]
    public async Task TheCentralServerHasNoDeleteAndItsConfirmationPageRefuses()
    {
        await LoginAsync();

        var response = await Page.GotoAsync("/sites/1/delete");

        Assert.Equal(409, response!.Status);
        await Expect(Alert).ToContainTextAsync("is the site active on this datafile");
        await Expect(Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Delete") })).ToHaveCountAsync(0);
        Assert.True(await ExistsAsync(1));
    }

    [Fact]
    public async Task TheUiRefusesWithTheSameStatusAndMessageAsTheApi()
    {
        var store = await Central.Admin.CreateStoreAsync("PH1", "Pharmacy One");
        var kama = await Central.Admin.CreateSiteAsync("kama", storeIds: [store.Id]);
        using var api = await Central.Admin.SendAsync(HttpMethod.Delete, $"api/sites/{kama.Id}");
        var problem = System.Text.Json.JsonDocument.Parse(await api.Content.ReadAsStringAsync(Ct)).RootElement;
        await LoginAsync();

        var page = await Page.GotoAsync($"/sites/{kama.Id}/delete");

        Assert.Equal(((int)api.StatusCode, (int)api.StatusCode), (409, page!.Status));
        Assert.Equal("site_has_stores", problem.GetProperty("code").GetString());
        await Expect(Alert).ToHaveTextAsync(problem.GetProperty("detail").GetString()!);
    }
}
