using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SiteSync.E2ETests.Support;
using static Microsoft.Playwright.Assertions;

namespace SiteSync.E2ETests;

/// <summary>The site list at fleet scale: paged on the server, every page and filter a URL that works without script, and a
/// CSV export of the filtered list. The 1,000-site test prints its figures (HTML size, server time, time to render in
/// Chromium); only the size is asserted, never a time.</summary>
public sealed class SiteListScaleTests(BrowserFixture browser) : UiTest(browser)
{
    /// <summary>The seeding creates 1,000 sites through the admin API with Basic credentials. At the default limit (a burst of
    /// 600, then 10 a second per user) that is refused with 429 whenever it runs faster than 40 s, which a quiet machine
    /// does; this class is about the site list, so its server lets an administrator's script through. The limit itself is
    /// RateLimitTests' subject.</summary>
    protected override IReadOnlyDictionary<string, string?> ServerSettings => new Dictionary<string, string?>
    {
        ["SiteSync:RateLimits:BasicPerUserPerMinute"] = "0",
        ["SiteSync:RateLimits:BasicPerAddressPerMinute"] = "0",
    };

    private async Task CreateSitesAsync(int count, int parallel = 4)
    {
        using var gate = new SemaphoreSlim(parallel);
        await Task.WhenAll(Enumerable.Range(1, count).Select(async i =>
        {
            await gate.WaitAsync(Ct);
            try
            {
                await Central.Admin.CreateSiteAsync(string.Create(CultureInfo.InvariantCulture, $"Site {i:0000}"),
                    code: string.Create(CultureInfo.InvariantCulture, $"S{i:0000}"));
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private sealed record Timing(double Ttfb, double DomContentLoaded, double Load);

    private static async Task<Timing> NavigationTimingAsync(IPage page)
    {
        var timing = await page.EvaluateAsync<JsonElement>("""
            () => { const n = performance.getEntriesByType('navigation')[0];
                    return { ttfb: n.responseStart - n.requestStart, dcl: n.domContentLoadedEventEnd - n.startTime, load: n.loadEventEnd - n.startTime }; }
            """);
        return new Timing(timing.GetProperty("ttfb").GetDouble(), timing.GetProperty("dcl").GetDouble(), timing.GetProperty("load").GetDouble());
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>Loads <paramref name="path"/> five times (after one warm-up) and prints its HTML size and median timings.</summary>
    private async Task<long> MeasureAsync(string label, string path)
    {
        await Page.GotoAsync(path);
        long bytes = 0;
        List<Timing> runs = [];
        for (var run = 0; run < 5; run++)
        {
            var response = await Page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Load });
            bytes = (await response!.BodyAsync()).Length;
            runs.Add(await NavigationTimingAsync(Page));
        }
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: html {bytes:N0} bytes; server (time to first byte) {Median(runs.Select(r => r.Ttfb)):0} ms; " +
            $"DOMContentLoaded {Median(runs.Select(r => r.DomContentLoaded)):0} ms; load {Median(runs.Select(r => r.Load)):0} ms (medians of 5, Chromium headless)"));
        return bytes;
    }

    [Fact]
    public async Task AThousandSiteListIsPagedSmallAndEveryPageIsAUrl()
    {
        var seeding = Stopwatch.StartNew();
        await CreateSitesAsync(1000);
        // A mix: a tenth of the fleet syncs, a few fail their passwords (each first authentication costs a PBKDF2, as in life).
        foreach (var i in Enumerable.Range(1, 100))
        {
            await Central.Admin.SyncCycleAsync(string.Create(CultureInfo.InvariantCulture, $"Site {i * 10:0000}"), $"device-{i}");
        }
        foreach (var i in Enumerable.Range(1, 10))
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                await Central.Admin.SyncWithWrongPasswordAsync(string.Create(CultureInfo.InvariantCulture, $"Site {i * 7:0000}"));
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"seeded 1,000 sites through the admin and sync APIs in {seeding.Elapsed.TotalSeconds:0} s");
        await LoginAsync();

        var firstPage = await MeasureAsync("site list, 1,001 sites, first page (50 rows)", "/");
        var largestPage = await MeasureAsync("site list, 1,001 sites, 200 rows per page", "/?size=200");
        var api = Stopwatch.StartNew();
        var all = await Central.Admin.ListSitesAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"GET /api/sites (all {all.Sites.Count} sites, JSON): {api.ElapsedMilliseconds} ms");
        await Page.GotoAsync("/");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Next ›" }).ClickAsync();
        var second = await SiteNamesAsync();
        await Page.GotoAsync("/?sort=id&dir=asc&page=3");
        var third = await Page.Locator("#site-list-region tbody td.num").AllTextContentsAsync();

        Assert.True(firstPage < 150 * 1024, $"the first page is {firstPage:N0} bytes");
        Assert.True(largestPage < 600 * 1024, $"a 200-row page is {largestPage:N0} bytes");
        Assert.Equal(1001, all.Total);
        await Expect(Page.Locator("#site-count")).ToHaveTextAsync("Showing 101–150 of 1001 sites.");
        // Central first, then by name: the second page starts with the 50th site by name.
        Assert.Equal(50, second.Count);
        Assert.Equal("Site 0050", second[0]);
        Assert.Equal(("101", "150"), (third[0], third[^1]));
    }

    [Fact]
    public async Task PagesFiltersSearchAndSortingWorkWithoutJavaScript()
    {
        await CreateSitesAsync(60);
        await Central.Admin.SyncCycleAsync("Site 0007");
        await using var context = await NewContextAsync(javaScript: false);
        var page = await context.NewPageAsync();
        await LoginAsync(page: page);
        async Task<IReadOnlyList<string>> NamesAsync() => await page.Locator("#site-list-region tbody tr td a.open").AllTextContentsAsync();

        var first = await NamesAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Next ›" }).ClickAsync();
        var second = await NamesAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "ID" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "ID" }).ClickAsync();
        var byIdDescending = await page.Locator("#site-list-region tbody td.num").AllTextContentsAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Health" }).GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^OK") }).ClickAsync();
        var ok = await NamesAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Filter sites").FillAsync("s0033");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var searched = await NamesAsync();

        Assert.Equal(50, first.Count);
        Assert.Equal(("Central Server", "Site 0049"), (first[0], first[^1]));
        Assert.Equal(["Site 0050", "Site 0051", "Site 0052", "Site 0053", "Site 0054", "Site 0055", "Site 0056", "Site 0057", "Site 0058",
            "Site 0059", "Site 0060"], second);
        Assert.Equal(["1", "61", "60", "59"], byIdDescending.Take(4));
        Assert.Equal(["Central Server", "Site 0007"], ok);
        Assert.Equal(["Site 0033"], searched);
        await Expect(page).ToHaveURLAsync(new Regex("search=s0033"));
    }

    [Fact]
    public async Task CsvExportHoldsTheFilteredListOnEveryPage()
    {
        await CreateSitesAsync(3);
        await Central.Admin.SyncCycleAsync("Site 0002");
        await Central.Admin.CreateSiteAsync("=HYPERLINK(\"x\")", code: "+1");
        await LoginAsync();
        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Health" }).GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Never synced") }).ClickAsync();

        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!, Ct);

        Assert.Matches(new Regex(@"^sites-\d{8}-\d{4}\.csv$"), download.SuggestedFilename);
        Assert.Equal("id,code,name,stores,deviceType,appVersion,lastSyncedAtUtc,lastConnectedAtUtc,status,health,healthReason,lastErrorAtUtc,lastErrorEvent,lastError",
            csv[0]);
        // A name a spreadsheet would run as a formula is kept as text.
        Assert.Equal(["'=HYPERLINK(\"x\")", "Site 0001", "Site 0003"], csv.Skip(1).Select(line => Csv(line)[2]));
        Assert.All(csv.Skip(1), line => Assert.Equal("never_synced", Csv(line)[9]));
        Assert.Equal("'+1", Csv(csv[1])[1]);
    }

    /// <summary>Splits one CSV line (quoted fields, doubled quotes).</summary>
    private static List<string> Csv(string line)
    {
        List<string> cells = [];
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                cell.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
