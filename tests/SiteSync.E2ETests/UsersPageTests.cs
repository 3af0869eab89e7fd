using Microsoft.Playwright;
using SiteSync.E2ETests.Support;
using SiteSync.Protocol.Admin;
using static Microsoft.Playwright.Assertions;

namespace SiteSync.E2ETests;

public sealed class UsersPageTests(BrowserFixture browser) : UiTest(browser)
{
    [Fact]
    public async Task AdminCreatesAReadOnlyUserThenGrantsAndRevokesEditSyncSettings()
    {
        await LoginAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();

        await Page.GetByLabel("Username").FillAsync("carol");
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync("carol-password");
        await Button("Create user").ClickAsync();
        await Expect(Status).ToHaveTextAsync("User 'carol' created, read-only.");
        var created = await Central.Admin.GetUserAsync("carol");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Grant Edit sync settings to carol" }).ClickAsync();
        await Expect(Status).ToHaveTextAsync("'carol' may now edit sync settings.");
        var granted = await Central.Admin.GetUserAsync("carol");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Revoke Edit sync settings from carol" }).ClickAsync();
        await Expect(Status).ToHaveTextAsync("'carol' is now read-only.");
        var revoked = await Central.Admin.GetUserAsync("carol");

        Assert.Empty(created.Permissions);
        Assert.Equal([Permissions.EditSyncSettings], granted.Permissions);
        Assert.Empty(revoked.Permissions);
    }

    [Fact]
    public async Task CreatingAUserWithAShortPasswordShowsWhy()
    {
        await LoginAsync();
        await Page.GotoAsync("/users");

        await Page.GetByLabel("Username").FillAsync("dave");
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync("short");
        await Button("Create user").ClickAsync();

        await Expect(Alert).ToHaveTextAsync("A password of at least 8 characters is required.");
        await Expect(Page.GetByLabel("Password", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
    }
}
