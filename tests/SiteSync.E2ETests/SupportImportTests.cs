using Microsoft.Playwright;
using SiteSync.E2ETests.Support;
using static Microsoft.Playwright.Assertions;

namespace SiteSync.E2ETests;

public sealed class SupportImportTests(BrowserFixture browser) : UiTest(browser)
{
    [Fact]
    public async Task ImportingContractsWarnsAboutSiteNamesThatMatchNoSiteAndListsThem()
    {
        var kama = await Central.Admin.CreateSiteAsync("Kama");
        await LoginAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Support contracts" }).ClickAsync();

        await Page.GetByLabel("Contracts file (CSV or JSON)").SetInputFilesAsync(new FilePayload
        {
            Name = "contracts.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes(
                "funderName,siteName,licenseCode\nHealth Fund Alpha,kama,LIC-1\nHealth Fund Alpha,Kamma,LIC-2\nGlobal Aid,Zeta clinic,LIC-3\n"),
        });
        await Button("Import contracts").ClickAsync();

        await Expect(Status).ToHaveTextAsync("Imported 3 contracts from contracts.csv.");
        var warning = Page.GetByRole(AriaRole.Alert);
        await Expect(warning.GetByRole(AriaRole.Heading)).ToHaveTextAsync("2 contracts name sites that do not exist");
        Assert.Equal(["Kamma", "Zeta clinic"], await warning.GetByRole(AriaRole.Listitem).AllInnerTextsAsync());
        Assert.Equal("Health Fund Alpha", (await Central.Admin.GetSiteAsync(kama.Id)).FunderName);
    }

    [Fact]
    public async Task AnImportWithABadDateIsRefusedWithTheLineAndNothingIsImported()
    {
        await LoginAsync();
        await Page.GotoAsync("/support");

        await Page.GetByLabel("Or paste them").FillAsync("funderName,siteName,supportStart\nFund,Kama,01/02/2026\n");
        await Button("Import contracts").ClickAsync();

        await Expect(Alert).ToHaveTextAsync("Line 2: dates must be written yyyy-MM-dd.");
        Assert.Empty(await Central.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.SupportContracts, Ct)));
    }
}
