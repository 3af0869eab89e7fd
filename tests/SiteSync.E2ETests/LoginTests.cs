using Microsoft.Playwright;
using SiteSync.E2ETests.Support;
using static Microsoft.Playwright.Assertions;

namespace SiteSync.E2ETests;

public sealed class LoginTests(BrowserFixture browser) : UiTest(browser)
{
    [Fact]
    public async Task LoginWithTheRightPasswordOpensTheSiteList()
    {
        await Page.GotoAsync("/");
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));

        await Page.GetByLabel("Username").FillAsync("admin");
        await Page.GetByLabel("Password").FillAsync(UiCentral.AdminPassword);
        await Button("Log in").ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Sync sites", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByText("Signed in as admin")).ToBeVisibleAsync();
    }
}
