using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Json;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Admin;

public sealed class FleetLogAndUsersApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Midnight = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);

    private static async Task<FleetLogPage> FleetLogAsync(TestCentral central, string query) =>
        (await central.Admin.Http.GetFromJsonAsync($"api/logs{query}", SiteSyncJsonContext.Default.FleetLogPage, Ct))!;

    private static async Task WrongPasswordAsync(TestCentral central, string site)
    {
        using var remote = new OmsTestClient(central.BaseAddress, site, "not-the-password");
        await remote.GetAsync("/sync/v5/site");
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheFleetLogFiltersAcrossSitesByDaysInAZoneLevelEventSiteAndTextAndPages(Engine engine)
    {
        var time = new FakeTimeProvider(Midnight.AddDays(-1).AddHours(12));
        await using var central = await TestCentral.StartAsync(engine, time: time);
        var kama = await central.Admin.CreateSiteAsync("Kama");
        await central.Admin.CreateSiteAsync("Lusaka");
        time.SetUtcNow(Midnight.AddMinutes(30));
        await WrongPasswordAsync(central, "Kama");
        await WrongPasswordAsync(central, "Lusaka");
        time.SetUtcNow(Midnight.AddHours(12));

        var today = await FleetLogAsync(central, "");
        var failures = await FleetLogAsync(central, "?event=auth_failed");
        var kamaOnly = await FleetLogAsync(central, "?event=auth_failed&site=kam");
        var byId = await FleetLogAsync(central, $"?site={kama.Id}&from=2026-03-09");
        // 00:30 UTC on the 10th is still the 9th in New York.
        var newYorkNinth = await FleetLogAsync(central, "?zone=America/New_York&from=2026-03-09&to=2026-03-09&level=warning");
        var newYorkTenth = await FleetLogAsync(central, "?zone=America/New_York&level=warning");
        var text = await FleetLogAsync(central, "?from=2026-03-09&search=CREATED");
        var secondPage = await FleetLogAsync(central, "?from=2026-03-09&offset=3&limit=3");

        Assert.Equal(2, today.Total);
        Assert.Equal(["Lusaka", "Kama"], failures.Entries.Select(e => e.SiteName));
        Assert.Equal(["auth_failed"], kamaOnly.Entries.Select(e => e.Event));
        Assert.Equal(["auth_failed", "site_created"], byId.Entries.Select(e => e.Event));
        Assert.Equal(2, newYorkNinth.Total);
        Assert.Equal(0, newYorkTenth.Total);
        Assert.Equal(["site_created", "site_created"], text.Entries.Select(e => e.Event));
        Assert.Equal((4, 3, 3, 1), (secondPage.Total, secondPage.Offset, secondPage.Limit, secondPage.Entries.Count));
    }

    [Theory]
    [InlineData(Engine.Sqlite, "?zone=Mars/Olympus", "zone")]
    [InlineData(Engine.Sqlite, "?from=09/03/2026", "from")]
    [InlineData(Engine.Sqlite, "?from=2026-03-10&to=2026-03-09", "to")]
    [InlineData(Engine.Sqlite, "?level=fatal", "level")]
    [InlineData(Engine.Sqlite, "?event=DROP%20TABLE", "event")]
    [InlineData(Engine.Sqlite, "?limit=5000", "limit")]
    [InlineData(Engine.Postgres, "?zone=Mars/Olympus", "zone")]
    [InlineData(Engine.Postgres, "?limit=5000", "limit")]
    public async Task BadFleetLogParametersAre400NamingTheParameter(Engine engine, string query, string field)
    {
        await using var central = await TestCentral.StartAsync(engine);

        using var response = await central.Admin.Http.GetAsync($"api/logs{query}", Ct);

        var problem = await AdminClient.ProblemAsync(response);
        Assert.Equal((400, "validation_failed"), (problem.Status, problem.Code));
        Assert.Contains($"\"field\":\"{field}\"", problem.Body, StringComparison.Ordinal);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ADisabledUserIsRefusedUntilEnabledAndAResetPasswordReplacesTheOldOne(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        using var created = await central.Admin.Http.PostAsJsonAsync("api/users", new User("carol", "carol-password", []), SiteSyncJsonContext.Default.User, Ct);
        using var carol = central.Factory.CreateHttpClient("carol", "carol-password");
        var before = (await carol.GetAsync("api/sites", Ct)).StatusCode;

        using var disable = await central.Admin.Http.PutAsJsonAsync("api/users/carol", new User("carol", null, null!) { IsDisabled = true },
            SiteSyncJsonContext.Default.User, Ct);
        var whileDisabled = (await carol.GetAsync("api/sites", Ct)).StatusCode;
        using var enable = await central.Admin.Http.PutAsJsonAsync("api/users/carol", new User("carol", "carol-new-password", null!) { IsDisabled = false },
            SiteSyncJsonContext.Default.User, Ct);
        var oldPassword = (await carol.GetAsync("api/sites", Ct)).StatusCode;
        using var carolAgain = central.Factory.CreateHttpClient("carol", "carol-new-password");
        var newPassword = (await carolAgain.GetAsync("api/sites", Ct)).StatusCode;

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (created.StatusCode, before));
        Assert.Equal(true, (await disable.Content.ReadFromJsonAsync(SiteSyncJsonContext.Default.User, Ct))!.IsDisabled);
        Assert.Equal(HttpStatusCode.Unauthorized, whileDisabled);
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (oldPassword, newPassword));
        // Omitted permissions stay as they were.
        Assert.Empty((await central.Admin.Http.GetFromJsonAsync("api/users/carol", SiteSyncJsonContext.Default.User, Ct))!.Permissions);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task NobodyDisablesThemselves(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);

        using var response = await central.Admin.Http.PutAsJsonAsync("api/users/admin", new User("admin", null, null!) { IsDisabled = true },
            SiteSyncJsonContext.Default.User, Ct);

        var problem = await AdminClient.ProblemAsync(response);
        Assert.Equal((409, "cannot_disable_self"), (problem.Status, problem.Code));
        Assert.Equal(HttpStatusCode.OK, (await central.Admin.Http.GetAsync("api/sites", Ct)).StatusCode);
    }
}
