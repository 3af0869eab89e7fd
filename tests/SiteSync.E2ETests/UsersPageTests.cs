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

    [Fact]
    public async Task AnAdministratorResetsAUsersPasswordAndTheUserLogsInWithTheNewOne()
    {
        await Central.Admin.CreateUserAsync("carol", "carol-old-password");
        await LoginAsync();
        await Page.GotoAsync("/users");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Reset password or disable carol" }).ClickAsync();
        await Page.GetByLabel("New password for carol").FillAsync("carol-new-password");
        await Button("Reset password").ClickAsync();
        await Expect(Status).ToHaveTextAsync("Password of 'carol' reset: give them the new one; their open sessions have ended.");
        await using var context = await NewContextAsync();
        var carols = await context.NewPageAsync();
        await carols.GotoAsync("/login");
        await carols.GetByLabel("Username").FillAsync("carol");
        await carols.GetByLabel("Password").FillAsync("carol-old-password");
        await carols.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await Expect(carols.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong username or password.");
        await LoginAsync("carol", "carol-new-password", carols);
    }

    [Fact]
    public async Task ADisabledUserCannotLogInTheirSessionEndsAndEnablingLetsThemBackIn()
    {
        await Central.Admin.CreateUserAsync("dave", "dave-password");
        await using var context = await NewContextAsync();
        var daves = await context.NewPageAsync();
        await LoginAsync("dave", "dave-password", daves);
        await LoginAsync();
        await Page.GotoAsync("/users/dave");

        await Button("Disable dave").ClickAsync();
        await Expect(Status).ToHaveTextAsync("User 'dave' disabled: they cannot log in, and their open sessions have ended.");
        await daves.ReloadAsync();
        await Expect(daves).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await daves.GetByLabel("Username").FillAsync("dave");
        await daves.GetByLabel("Password").FillAsync("dave-password");
        await daves.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(daves.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong username or password.");
        await Page.GotoAsync("/users");
        await Expect(Page.GetByRole(AriaRole.Row, new() { NameRegex = new System.Text.RegularExpressions.Regex("^dave") }).Locator(".status"))
            .ToHaveTextAsync("Disabled");
        await Page.GotoAsync("/users/dave");
        await Button("Enable dave").ClickAsync();

        await Expect(Status).ToHaveTextAsync("User 'dave' enabled: they can log in again.");
        await LoginAsync("dave", "dave-password", daves);
        Assert.False((await Central.Admin.GetUserAsync("dave")).IsDisabled);
    }

    [Fact]
    public async Task NobodyDisablesThemselves()
    {
        await LoginAsync();

        await Page.GotoAsync("/users/admin");

        await Expect(Page.GetByText("This is you: you cannot disable yourself.")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Disable") })).ToHaveCountAsync(0);
    }
}
