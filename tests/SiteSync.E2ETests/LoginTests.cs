using System.Text.RegularExpressions;
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
        await Expect(Page).ToHaveURLAsync(new Regex("/login"));

        await Page.GetByLabel("Username").FillAsync("admin");
        await Page.GetByLabel("Password").FillAsync(UiCentral.AdminPassword);
        await Button("Log in").ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Sync sites", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByText("Signed in as admin")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task WrongPasswordAndUnknownUserGetTheSameMessage()
    {
        await Page.GotoAsync("/login");
        await Page.GetByLabel("Username").FillAsync("admin");
        await Page.GetByLabel("Password").FillAsync("not-the-password");
        await Button("Log in").ClickAsync();
        var wrongPassword = await Alert.TextContentAsync();

        await Page.GetByLabel("Username").FillAsync("nobody-by-this-name");
        await Page.GetByLabel("Password").FillAsync("not-the-password");
        await Button("Log in").ClickAsync();
        var unknownUser = await Alert.TextContentAsync();

        Assert.Equal("Wrong username or password.", wrongPassword);
        Assert.Equal(wrongPassword, unknownUser);
        await Expect(Page).ToHaveURLAsync(new Regex("/login"));
        await Expect(Page.GetByText("Signed in as")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task LoginReturnsToThePageAskedForAndLogoutEndsTheSession()
    {
        await Page.GotoAsync("/sites/1");
        await Page.GetByLabel("Username").FillAsync("admin");
        await Page.GetByLabel("Password").FillAsync(UiCentral.AdminPassword);
        await Button("Log in").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/sites/1$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Site 1: Central Server" })).ToBeVisibleAsync();

        await Button("Log out").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/login$"));
        await Page.GotoAsync("/");

        await Expect(Page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2F$"));
    }
}
