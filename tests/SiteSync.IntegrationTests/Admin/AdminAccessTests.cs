using System.Net;
using System.Net.Http.Json;
using SiteSync.IntegrationTests.Support;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Json;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Admin;

/// <summary>Rule 3: viewing needs a login; every change needs "Edit sync settings".</summary>
public sealed class AdminAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothEngines))]
    public async Task WithoutCredentialsTheApiAnswers401(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        using var anonymous = central.Factory.CreateHttpClient();
        using var wrong = central.Factory.CreateHttpClient("admin", "not-the-password");

        using var list = await anonymous.GetAsync("api/sites", Ct);
        using var create = await anonymous.PostAsJsonAsync("api/sites", new SiteEdit(null, "x", "password-1", null, null, null, null, null),
            SiteSyncJsonContext.Default.SiteEdit, Ct);
        using var wrongList = await wrong.GetAsync("api/sites", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, create.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongList.StatusCode);
        Assert.Equal(1, (await central.Admin.ListSitesAsync()).Total);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AUserWithoutTheEditPermissionCanViewButEveryChangeIs403(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var site = await central.Admin.CreateSiteAsync("clinic");
        using var created = await central.Admin.Http.PostAsJsonAsync("api/users", new User("viewer", "viewer-password", []),
            SiteSyncJsonContext.Default.User, Ct);
        using var viewer = central.Factory.CreateHttpClient("viewer", "viewer-password");
        var before = await DatabaseState.ReadAsync(central);

        var list = await viewer.GetFromJsonAsync("api/sites", SiteSyncJsonContext.Default.SiteList, Ct);
        var one = await viewer.GetFromJsonAsync($"api/sites/{site.Id}", SiteSyncJsonContext.Default.Site, Ct);
        HttpResponseMessage[] changes =
        [
            await viewer.PostAsJsonAsync("api/sites", new SiteEdit(null, "x", "password-1", null, null, null, null, null), SiteSyncJsonContext.Default.SiteEdit, Ct),
            await viewer.PutAsJsonAsync($"api/sites/{site.Id}", AdminClient.EditOf(site) with { Name = "hijacked" }, SiteSyncJsonContext.Default.SiteEdit, Ct),
            await viewer.DeleteAsync($"api/sites/{site.Id}", Ct),
            await viewer.PostAsync($"api/sites/{site.Id}/unblock", null, Ct),
            await viewer.PostAsync($"api/sites/{site.Id}/reset-hardware-id", null, Ct),
            await viewer.PostAsJsonAsync("api/stores", new CreateStoreRequest("S", "S"), SiteSyncJsonContext.Default.CreateStoreRequest, Ct),
            await viewer.PostAsync("api/records", new StringContent("""{"unit":[{"ID":"u1"}]}""", System.Text.Encoding.UTF8, "application/json"), Ct),
            await viewer.PostAsJsonAsync("api/users", new User("evil", "evil-password", [Permissions.EditSyncSettings]), SiteSyncJsonContext.Default.User, Ct),
        ];

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(["Central Server", "clinic"], list!.Sites.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Equal((site.Id, "clinic"), (one!.Id, one.Name));
        Assert.All(changes, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal(before, await DatabaseState.ReadAsync(central));
        foreach (var response in changes)
        {
            response.Dispose();
        }
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task GrantingTheEditPermissionLetsAUserMakeChanges(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        using var created = await central.Admin.Http.PostAsJsonAsync("api/users", new User("ops", "ops-password", []), SiteSyncJsonContext.Default.User, Ct);
        using var ops = central.Factory.CreateHttpClient("ops", "ops-password");
        using var before = await ops.PostAsJsonAsync("api/stores", new CreateStoreRequest("S", "S"), SiteSyncJsonContext.Default.CreateStoreRequest, Ct);

        using var granted = await central.Admin.Http.PutAsJsonAsync("api/users/ops", new User("ops", null, [Permissions.EditSyncSettings]),
            SiteSyncJsonContext.Default.User, Ct);
        using var after = await ops.PostAsJsonAsync("api/stores", new CreateStoreRequest("S", "S"), SiteSyncJsonContext.Default.CreateStoreRequest, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        Assert.Equal([Permissions.EditSyncSettings], (await central.Admin.GetUserAsync("ops")).Permissions);
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        var store = await after.Content.ReadFromJsonAsync(SiteSyncJsonContext.Default.StoreInfo, Ct);
        Assert.Equal(("S", "S"), (store!.Code, store.Name));
        Assert.Equal([store.Id], (await central.Admin.ListStoresAsync()).Select(s => s.Id));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task UsersAreListedWithoutPasswords(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        using var created = await central.Admin.Http.PostAsJsonAsync("api/users", new User("viewer", "viewer-password", []), SiteSyncJsonContext.Default.User, Ct);
        using var duplicate = await central.Admin.Http.PostAsJsonAsync("api/users", new User("VIEWER", "other-password", []), SiteSyncJsonContext.Default.User, Ct);

        var text = await central.Admin.Http.GetStringAsync("api/users", Ct);

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("\"username\":\"admin\"", text, StringComparison.Ordinal);
        Assert.Contains("\"username\":\"viewer\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("viewer-password", text, StringComparison.Ordinal);
        Assert.Contains("\"password\":null", text, StringComparison.Ordinal);
    }
}
