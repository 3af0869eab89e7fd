using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using SiteSync.E2ETests.Support;
using static Microsoft.Playwright.Assertions;

namespace SiteSync.E2ETests;

/// <summary>The log across all sites, and the site window's Log tab: filters, times with their zone, dates read in that same
/// zone, and a long log paged with its count rather than cut. Lines come from real requests on a FakeTimeProvider clock.</summary>
public sealed class FleetLogTests(BrowserFixture browser) : UiTest(browser)
{
    /// <summary>Today 00:30 UTC is still yesterday in Los Angeles and already today 13:30 (or 12:30) in Auckland.</summary>
    private static readonly DateTimeOffset Today = new(DateTime.UtcNow.Date, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Today.AddDays(-3).AddHours(9));

    protected override TimeProvider? ServerTime => _time;

    private static string Day(DateTimeOffset at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheFleetLogListsAcrossSitesAndFiltersByDateLevelEventAndSite()
    {
        await Central.Admin.CreateSiteAsync("Kama");
        await Central.Admin.CreateSiteAsync("Lusaka");
        await Central.Admin.SyncWithWrongPasswordAsync("Kama");    // three days ago
        _time.SetUtcNow(Today.AddHours(10));
        await Central.Admin.SyncWithWrongPasswordAsync("Kama");
        await Central.Admin.SyncWithWrongPasswordAsync("Lusaka");
        await Central.Admin.SyncCycleAsync("Lusaka");
        await LoginAsync();
        var log = Page.GetByRole(AriaRole.Table, new() { Name = "Log of all sites" });

        await Page.GetByRole(AriaRole.Link, new() { Name = "Log", Exact = true }).ClickAsync();
        var today = await log.Locator("tbody tr").CountAsync();
        await Page.GetByLabel("Event").SelectOptionAsync("auth_failed");
        await Button("Show").ClickAsync();
        await Expect(log.Locator("tbody tr")).ToHaveCountAsync(2);
        await Page.GetByLabel("Site", new() { Exact = true }).FillAsync("kama");
        await Button("Show").ClickAsync();
        await Expect(log.Locator("tbody tr")).ToHaveCountAsync(1);
        await Page.GetByLabel("From").FillAsync(Day(Today.AddDays(-3)));
        await Button("Show").ClickAsync();
        await Expect(log.Locator("tbody tr")).ToHaveCountAsync(2);
        await Page.GetByLabel("To").FillAsync(Day(Today.AddDays(-1)));
        await Button("Show").ClickAsync();
        await Expect(log.Locator("tbody tr")).ToHaveCountAsync(1);
        await Page.GotoAsync("/log?level=info");

        // Today: two wrong passwords, Lusaka's device claiming it, and its sync; the sites were created three days ago.
        Assert.Equal(4, today);
        await Expect(log.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(log.Locator("tbody tr").First).ToContainTextAsync("Sync completed");
        await Expect(log.Locator("tbody tr").First.GetByRole(AriaRole.Link)).ToHaveTextAsync(new Regex(@"^\d+ Lusaka$"));
    }

    [Fact]
    public async Task AuthenticationFailuresTodayIsOneClickFromTheSiteList()
    {
        await Central.Admin.CreateSiteAsync("Kama");
        _time.SetUtcNow(Today.AddHours(8));
        await Central.Admin.SyncWithWrongPasswordAsync("Kama");
        await Central.Admin.CreateSiteAsync("Lusaka");
        await LoginAsync();

        await Page.GetByRole(AriaRole.Link, new() { Name = "Authentication failures today" }).ClickAsync();

        var log = Page.GetByRole(AriaRole.Table, new() { Name = "Log of all sites" });
        await Expect(log.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(log).ToContainTextAsync("Wrong password (attempt 1 of 10).");
        await Expect(Page.GetByLabel("Event")).ToHaveValueAsync("auth_failed");
        await Expect(Page.GetByLabel("From")).ToHaveValueAsync(Day(Today));
    }

    [Theory]
    [InlineData("Pacific/Auckland", 0)]
    [InlineData("America/Los_Angeles", -1)]
    public async Task TimesShowTheirZoneAndTheDateFilterReadsDaysInThatZone(string zoneId, int localDayOffset)
    {
        var kama = await Central.Admin.CreateSiteAsync("Kama");
        var at = Today.AddMinutes(30);
        _time.SetUtcNow(at);
        await Central.Admin.SyncWithWrongPasswordAsync("Kama");
        _time.SetUtcNow(Today.AddHours(1));
        await using var context = await NewContextAsync(timeZone: zoneId);
        var page = await context.NewPageAsync();
        await LoginAsync(page: page);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var offset = $"UTC{(local.Offset < TimeSpan.Zero ? "-" : "+")}{local.Offset:hh\\:mm}";
        var localDay = Day(Today.AddDays(localDayOffset));
        var otherDay = Day(Today.AddDays(localDayOffset == 0 ? -1 : 0));
        var log = page.GetByRole(AriaRole.Table, new() { Name = "Site log" });

        await page.GotoAsync($"/sites/{kama.Id}?tab=log&from={localDay}&to={localDay}&level=warning");
        await Expect(log.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(log.Locator("tbody tr td").First).ToHaveTextAsync($"{local:yyyy-MM-dd HH:mm:ss} {offset}");
        await Expect(log.Locator("thead th").First).ToHaveTextAsync($"When ({zoneId})");
        await Expect(page.Locator("#log-zone-hint")).ToHaveTextAsync($"Whole days in {zoneId}, the zone the times are shown in.");
        await page.GotoAsync($"/sites/{kama.Id}?tab=log&from={otherDay}&to={otherDay}&level=warning");

        Assert.Equal(localDay, local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Expect(page.GetByText("No entries match.")).ToBeVisibleAsync();
        await page.GotoAsync($"/log?from={localDay}&to={localDay}&event=auth_failed");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Log of all sites" }).Locator("tbody tr td").First)
            .ToHaveTextAsync($"{local:yyyy-MM-dd HH:mm:ss} {offset}");
    }

    [Fact]
    public async Task ALongSiteLogIsPagedAndSaysHowManyEntriesThereAre()
    {
        _time.SetUtcNow(Today.AddHours(1));
        var kama = await Central.Admin.CreateSiteAsync("Kama");
        await Central.BlockSiteAsync("Kama");
        // A blocked site's every request is refused and logged: 140 more lines today.
        for (var i = 0; i < 140; i++)
        {
            await Central.Admin.SyncWithWrongPasswordAsync("Kama");
        }
        await LoginAsync();
        await Page.GotoAsync($"/sites/{kama.Id}?tab=log");
        var log = Page.GetByRole(AriaRole.Table, new() { Name = "Site log" });
        var total = (await Central.Admin.LogsAsync(kama.Id)).Count;

        await Expect(Page.GetByText($"Showing 1–100 of {total} entries, newest first.")).ToBeVisibleAsync();
        await Expect(log.Locator("tbody tr")).ToHaveCountAsync(100);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Next ›" }).ClickAsync();

        Assert.True(total > 150, $"only {total} lines");
        await Expect(Page.GetByText($"Showing 101–{total} of {total} entries, newest first.")).ToBeVisibleAsync();
        await Expect(log.Locator("tbody tr")).ToHaveCountAsync(total - 100);
        await Expect(log.Locator("tbody tr").Last).ToContainTextAsync("site_created");
        await Expect(Page.GetByRole(AriaRole.Radio, new() { Name = "Log" })).ToBeCheckedAsync();
    }
}
