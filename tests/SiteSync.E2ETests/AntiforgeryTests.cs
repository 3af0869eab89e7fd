using SiteSync.E2ETests.Support;

namespace SiteSync.E2ETests;

public sealed class AntiforgeryTests(BrowserFixture browser) : UiTest(browser)
{
    [Fact]
    public async Task AnAdminsPostWithoutTheAntiforgeryTokenIsRefused()
    {
        var kama = await Central.Admin.CreateSiteAsync("Kama");
        await LoginAsync();
        await Page.GotoAsync($"/sites/{kama.Id}");

        var form = Context.APIRequest.CreateFormData();
        form.Set("_handler", "site");
        form.Set("Form.Command", "ok");
        form.Set("Form.Name", "Forged");
        var response = await Page.APIRequest.PostAsync($"/sites/{kama.Id}", new() { Form = form, MaxRedirects = 0 });

        Assert.Equal(400, response.Status);
        Assert.Equal("Kama", (await Central.Admin.GetSiteAsync(kama.Id)).Name);
    }

    [Fact]
    public async Task AnAdminsPostWithTheTokenIsAccepted()
    {
        // The counterpart of the refusal: the same post with the page's token goes through, so the refusal is the token's doing.
        var kama = await Central.Admin.CreateSiteAsync("Kama");
        await LoginAsync();
        await Page.GotoAsync($"/sites/{kama.Id}");
        var token = await Page.Locator("#site-form input[name=__RequestVerificationToken]").GetAttributeAsync("value");

        var form = Context.APIRequest.CreateFormData();
        form.Set("_handler", "site");
        form.Set("__RequestVerificationToken", token!);
        form.Set("Form.Command", "ok");
        form.Set("Form.Name", "Kama renamed");
        var response = await Page.APIRequest.PostAsync($"/sites/{kama.Id}", new() { Form = form, MaxRedirects = 0 });

        Assert.Equal(302, response.Status);
        Assert.Equal("Kama renamed", (await Central.Admin.GetSiteAsync(kama.Id)).Name);
    }

    [Fact]
    public async Task LogoutWithoutTheTokenIsRefused()
    {
        await LoginAsync();

        var response = await Page.APIRequest.PostAsync("/logout", new() { MaxRedirects = 0 });
        await Page.GotoAsync("/");

        Assert.Equal(400, response.Status);
        Assert.EndsWith("/", Page.Url, StringComparison.Ordinal);
    }
}
