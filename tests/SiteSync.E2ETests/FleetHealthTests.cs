using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using SiteSync.E2ETests.Support;
using static Microsoft.Playwright.Assertions;

namespace SiteSync.E2ETests;

/// <summary>Fleet health at a glance: every site's health with its reason, counts that filter, "last synced" as a relative time
/// with the exact time and zone on hover, sorting by any column, a header that stays, and the administrator's question
/// "which sites have not synced for two days, and why?" answered in two clicks. The server's clock is a FakeTimeProvider moved
/// through sixty days while real remotes' requests (over the sync API) make each site what it is.</summary>
public sealed class FleetHealthTests(BrowserFixture browser) : UiTest(browser)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly FakeTimeProvider _time = new(Now.AddDays(-60));

    protected override TimeProvider? ServerTime => _time;

    private readonly Dictionary<string, int> _ids = [];

    /// <summary>Seven sites, one per state (two failing: by authentication and by its last cycle), over sixty days, then the
    /// clock back at the real now for the browser.</summary>
    private async Task SeedFleetAsync()
    {
        foreach (var name in new[] { "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf" })
        {
            _ids[name] = (await Central.Admin.CreateSiteAsync(name)).Id;
        }
        await Central.Admin.SyncCycleAsync("Foxtrot");                 // 60 days ago
        _time.Advance(TimeSpan.FromDays(57));
        await Central.Admin.SyncCycleAsync("Bravo");                   // 3 days ago
        _time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromHours(2));
        await Central.Admin.SyncCycleAsync("Charlie");                 // 2 hours ago, then three wrong passwords
        _time.Advance(TimeSpan.FromMinutes(1));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await Central.Admin.SyncWithWrongPasswordAsync("Charlie");
        }
        await Central.BlockSiteAsync("Delta");
        Assert.Equal(System.Net.HttpStatusCode.Conflict, await Central.Admin.InitialiseAsync("Golf"));
        _time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromMinutes(6));
        await Central.Admin.SyncCycleAsync("Alpha");                   // 5 minutes ago
        _time.SetUtcNow(Now); // sixty days after the start, whatever the seeding cost in real time
    }

    private ILocator Row(string name) => Page.GetByRole(AriaRole.Row, new() { Name = $"Site {_ids[name]} {name}" });

    [Fact]
    public async Task EachSiteShowsItsHealthAsABadgeWithTheReason()
    {
        await SeedFleetAsync();
        await LoginAsync();

        await Expect(Row("Alpha").Locator(".health-cell")).ToHaveTextAsync(new Regex(@"^OK\s*Synced 5 min ago\.$"));
        await Expect(Row("Bravo").Locator(".health-cell")).ToHaveTextAsync(new Regex(@"^Stale\s*No successful sync for 3 d \(stale after 24 h\)\.$"));
        await Expect(Row("Foxtrot").Locator(".health-cell")).ToHaveTextAsync(new Regex(@"^Stale\s*No successful sync for 60 d"));
        await Expect(Row("Charlie").Locator(".health-cell")).ToHaveTextAsync(new Regex(
            @"^Failing\s*The last 3 authentications failed, the latest 1 h ago: Wrong password \(attempt 3 of 10\)\.$"));
        await Expect(Row("Golf").Locator(".health-cell")).ToHaveTextAsync(new Regex(
            @"^Failing\s*The last sync failed 1 h ago: Initialisation refused: the site has no store\."));
        await Expect(Row("Delta").Locator(".health-cell")).ToHaveTextAsync(new Regex(@"^Blocked\s*Blocked after too many failed password attempts"));
        await Expect(Row("Echo").Locator(".health-cell")).ToHaveTextAsync(new Regex(@"^Never synced\s*Has never connected"));
        await Expect(Row("Charlie").Locator(".error-cell")).ToContainTextAsync("Wrong password (attempt 3 of 10).");
        await Expect(Row("Alpha").Locator(".error-cell")).ToHaveTextAsync("");
    }

    [Fact]
    public async Task CountsPerHealthAreShownAtTheTopAndFilterTheList()
    {
        await SeedFleetAsync();
        await LoginAsync();
        var counts = Page.GetByRole(AriaRole.Navigation, new() { Name = "Health" });

        var tallies = await counts.GetByRole(AriaRole.Link).AllInnerTextsAsync();
        await counts.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Stale") }).ClickAsync();

        Assert.Equal(["All 8", "Blocked 1", "Failing 2", "Stale 2", "Never synced 1", "OK 2"],
            tallies.Select(t => Regex.Replace(t.Trim(), @"\s+", " ")));
        await Expect(Page).ToHaveURLAsync(new Regex("health=stale"));
        await Expect(counts.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Stale") })).ToHaveAttributeAsync("aria-current", "page");
        Assert.Equal(["Bravo", "Foxtrot"], await SiteNamesAsync());
        await counts.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Failing") }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("health=failing"));
        Assert.Equal(["Charlie", "Golf"], await SiteNamesAsync());
    }

    [Fact]
    public async Task WhichSitesHaveNotSyncedForTwoDaysAndWhyIsTwoClicksFromTheFirstPage()
    {
        await SeedFleetAsync();
        await LoginAsync();

        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Not synced for" }).GetByRole(AriaRole.Link, new() { Name = "2 days" }).ClickAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Last synced" }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex("notSyncedForDays=2.*sort=synced&dir=asc"));
        Assert.Equal(["Delta", "Echo", "Golf", "Foxtrot", "Bravo"], await SiteNamesAsync());
        await Expect(Row("Delta")).ToContainTextAsync("Blocked after too many failed password attempts");
        await Expect(Row("Echo")).ToContainTextAsync("Has never connected");
        await Expect(Row("Golf")).ToContainTextAsync("Initialisation refused: the site has no store.");
        await Expect(Row("Foxtrot")).ToContainTextAsync("No successful sync for 60 d");
        await Expect(Row("Bravo")).ToContainTextAsync("No successful sync for 3 d");
    }

    [Fact]
    public async Task LastSyncedIsARelativeTimeWithTheExactTimeAndZoneOnHover()
    {
        await SeedFleetAsync();
        await using var auckland = await NewContextAsync(timeZone: "Pacific/Auckland");
        var page = await auckland.NewPageAsync();
        await LoginAsync(page: page);
        var synced = (await Central.Admin.GetSiteAsync(_ids["Bravo"])).LastSyncedAt!.Value;
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
        var local = TimeZoneInfo.ConvertTime(synced, zone);
        var expected = $"{local:yyyy-MM-dd HH:mm:ss} UTC+{local.Offset:hh\\:mm} (Pacific/Auckland)";

        var cell = page.GetByRole(AriaRole.Row, new() { Name = $"Site {_ids["Bravo"]} Bravo" }).Locator("time").First;

        await Expect(cell).ToHaveTextAsync("3 d ago");
        await Expect(cell).ToHaveAttributeAsync("title", expected);
        await Expect(page.Locator(".topbar .zone")).ToHaveTextAsync("Times in Pacific/Auckland");
    }

    [Fact]
    public async Task EveryColumnSortsBothWaysAndTheCentralServerStaysFirst()
    {
        await SeedFleetAsync();
        await LoginAsync();
        var headers = await Page.Locator("#site-list-region thead th a").AllInnerTextsAsync();

        foreach (var header in headers.Select(h => h.Trim(' ', '▲', '▼')))
        {
            var link = Page.Locator("#site-list-region thead th a", new() { HasTextRegex = new Regex($"^{Regex.Escape(header)}") });
            // Each header sorts ascending first (the list starts by name, so start from another column), then descending.
            await Page.GotoAsync(header == "ID" ? "/?sort=code&dir=asc" : "/?sort=id&dir=asc");
            await link.ClickAsync();
            var sorted = Page.Locator("#site-list-region thead th[aria-sort]:not([aria-sort=none])");
            await Expect(sorted).ToHaveAttributeAsync("aria-sort", "ascending");
            await Expect(sorted).ToContainTextAsync(header);
            Assert.Equal("Central Server", (await SiteNamesAsync())[0]);
            await link.ClickAsync();
            await Expect(sorted).ToHaveAttributeAsync("aria-sort", "descending");
            await Expect(sorted).ToContainTextAsync(header);
            Assert.Equal("Central Server", (await SiteNamesAsync())[0]);
        }
        await Page.GotoAsync("/?sort=health&dir=asc");
        var byHealth = await SiteNamesAsync();
        await Page.GotoAsync("/?sort=connected&dir=desc");
        var byConnection = await SiteNamesAsync();

        Assert.Equal(10, headers.Count);
        Assert.Equal(["Central Server", "Delta", "Charlie", "Golf", "Bravo", "Foxtrot", "Echo", "Alpha"], byHealth);
        Assert.Equal(["Central Server", "Alpha", "Golf", "Charlie", "Bravo", "Foxtrot", "Delta", "Echo"], byConnection);
    }

    [Fact]
    public async Task TheHeaderRowStaysInViewWhenTheListScrolls()
    {
        for (var i = 1; i <= 30; i++)
        {
            await Central.Admin.CreateSiteAsync(string.Create(CultureInfo.InvariantCulture, $"Clinic {i:00}"));
        }
        await LoginAsync();

        await Page.Mouse.WheelAsync(0, 1500);
        await Expect(Page.GetByRole(AriaRole.Row, new() { Name = "Site 1 Central Server" })).Not.ToBeInViewportAsync();
        var header = await Page.Locator("#site-list-region thead th").First.BoundingBoxAsync();
        var scrolled = await Page.EvaluateAsync<double>("window.scrollY");

        Assert.True(scrolled > 1000, $"the page did not scroll ({scrolled})");
        Assert.NotNull(header);
        Assert.InRange(header.Y, -1, 5);
    }
}
