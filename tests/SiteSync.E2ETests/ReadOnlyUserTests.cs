using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SiteSync.E2ETests.Support;
using static Microsoft.Playwright.Assertions;

namespace SiteSync.E2ETests;

/// <summary>Rule 3: without "Edit sync settings" the same pages are read-only, and the server refuses posts anyway.</summary>
public sealed class ReadOnlyUserTests(BrowserFixture browser) : UiTest(browser)
{
    private const string Password = "viewer-password";

    [Fact]
    public async Task ReadOnlyUserSeesTheSitesWithoutEditControls()
    {
        var store = await Central.Admin.CreateStoreAsync("PH1", "Pharmacy One");
        var kama = await Central.Admin.CreateSiteAsync("Kama", storeIds: [store.Id]);
        await Central.Admin.ConnectAsSiteAsync(kama.Name, "device-1");
        await Central.BlockSiteAsync("Kama");
        await Central.Admin.CreateUserAsync("viewer", Password);
        await LoginAsync("viewer", Password);

        await Expect(Page.GetByText("Read-only", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "New" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Delete Kama…" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Radio)).ToHaveCountAsync(0);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Kama" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"Site {kama.Id}: Kama" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Cell, new() { Name = "Pharmacy One" })).ToBeVisibleAsync();
        foreach (var name in new[] { "OK", "Add store", "Remove store", "Reset hardware ID", "Unblock site", "Save anyway" })
        {
            await Expect(Button(name)).ToHaveCountAsync(0);
        }
        await Expect(Page.GetByLabel("Site name")).Not.ToBeEditableAsync();
        await Expect(Page.GetByLabel("Site code")).Not.ToBeEditableAsync();
        await Expect(Page.GetByLabel("Type")).ToBeDisabledAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Close" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ReadOnlyUserCannotOpenTheUsersPage()
    {
        await Central.Admin.CreateUserAsync("viewer", Password);
        await LoginAsync("viewer", Password);

        var response = await Page.GotoAsync("/users");

        Assert.Equal(403, response!.Status);
        await Expect(Page).ToHaveURLAsync(new Regex("/forbidden"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ReadOnlyUserPostingTheSiteFormAnywayIsRefusedAndNothingChanges()
    {
        var store = await Central.Admin.CreateStoreAsync("PH1", "Pharmacy One");
        var kama = await Central.Admin.CreateSiteAsync("Kama");
        await Central.Admin.CreateUserAsync("viewer", Password);
        await LoginAsync("viewer", Password);
        await Page.GotoAsync($"/sites/{kama.Id}");
        var token = await AntiforgeryTokenAsync();

        var form = Context.APIRequest.CreateFormData();
        form.Set("_handler", "site");
        form.Set("__RequestVerificationToken", token);
        form.Set("Form.Command", "ok");
        form.Set("Form.Name", "Hijacked");
        form.Set("Form.Password", "hijacked-password");
        form.Set("Form.StoreIds[0]", store.Id);
        var response = await Page.APIRequest.PostAsync($"/sites/{kama.Id}", new() { Form = form, MaxRedirects = 0 });

        Assert.Equal(403, response.Status);
        Assert.Contains("You have read-only access", await response.TextAsync(), StringComparison.Ordinal);
        var after = await Central.Admin.GetSiteAsync(kama.Id);
        Assert.Equal("Kama", after.Name);
        Assert.Empty(after.Stores);
    }

    [Fact]
    public async Task ReadOnlyUserPostingDeleteOrResetAnywayIsRefused()
    {
        var kama = await Central.Admin.CreateSiteAsync("Kama");
        await Central.Admin.ConnectAsSiteAsync(kama.Name, "device-1");
        await Central.Admin.CreateUserAsync("viewer", Password);
        await LoginAsync("viewer", Password);
        var token = await AntiforgeryTokenAsync();

        var delete = Context.APIRequest.CreateFormData();
        delete.Set("_handler", "delete-site");
        delete.Set("__RequestVerificationToken", token);
        var deleted = await Page.APIRequest.PostAsync($"/sites/{kama.Id}/delete", new() { Form = delete, MaxRedirects = 0 });
        var reset = Context.APIRequest.CreateFormData();
        reset.Set("_handler", "site");
        reset.Set("__RequestVerificationToken", token);
        reset.Set("Form.Command", "reset-hardware-id");
        var wasReset = await Page.APIRequest.PostAsync($"/sites/{kama.Id}", new() { Form = reset, MaxRedirects = 0 });

        Assert.Equal((403, 403), (deleted.Status, wasReset.Status));
        var after = await Central.Admin.GetSiteAsync(kama.Id);
        Assert.Equal("device-1", after.HardwareId);
        Assert.Contains("You have read-only access: deleting a site needs the Edit sync settings permission.", await deleted.TextAsync(),
            StringComparison.Ordinal);
    }

    /// <summary>The token every page carries (in the logout form): a read-only page has no edit form, but a forger has a token.</summary>
    private async Task<string> AntiforgeryTokenAsync()
    {
        var token = await Page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        Assert.False(string.IsNullOrEmpty(token));
        return token;
    }
}
