using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

[assembly: AssemblyFixture(typeof(SiteSync.E2ETests.Support.BrowserFixture))]

namespace SiteSync.E2ETests.Support;

/// <summary>Base of every browser test: a fresh central server and database, a fresh browser context on it, and a full-page
/// screenshot under <c>screenshots/</c> in the test output directory when the test fails (or always, with
/// <c>SITESYNC_E2E_SCREENSHOTS=always</c>, to look at the pages).</summary>
/// <remarks>Page state is asserted with Playwright's <c>Expect</c>, which waits for the page; xunit's <c>Assert</c> checks what the
/// server stored, read back through the admin API.</remarks>
public abstract partial class UiTest(BrowserFixture browser) : IAsyncLifetime
{
    protected UiCentral Central { get; private set; } = default!;
    protected IBrowserContext Context { get; private set; } = default!;
    protected IPage Page { get; private set; } = default!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The server's clock: a test class that needs sites synced days ago overrides it with a FakeTimeProvider.</summary>
    protected virtual TimeProvider? ServerTime => null;

    /// <summary>Server configuration over the defaults, for a test class that needs other limits.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? ServerSettings => null;

    /// <summary>The browser's time zone (Chromium's, as a person's browser reports it).</summary>
    protected virtual string BrowserTimeZone => "UTC";

    public async ValueTask InitializeAsync()
    {
        Central = UiCentral.Start(ServerTime, ServerSettings);
        Context = await NewContextAsync();
        Page = await Context.NewPageAsync();
    }

    /// <summary>Another browser context on the same server: without script, or in another time zone.</summary>
    protected async Task<IBrowserContext> NewContextAsync(bool javaScript = true, string? timeZone = null)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Central.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 800 },
            Locale = "en-GB",
            TimezoneId = timeZone ?? BrowserTimeZone,
            JavaScriptEnabled = javaScript,
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(10_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        var failed = TestContext.Current.TestState?.Result == TestResult.Failed;
        if (failed || Environment.GetEnvironmentVariable("SITESYNC_E2E_SCREENSHOTS") == "always")
        {
            var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(directory);
            var name = Unsafe().Replace(TestContext.Current.Test?.TestDisplayName ?? "test", "_");
            var path = Path.Combine(directory, $"{name}.png");
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot: {path}");
        }
        if (failed)
        {
            foreach (var line in Central.ServerLog)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"server: {line}");
            }
        }
        await Context.CloseAsync();
        await Central.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Logs in through the login form, as a person would (on <paramref name="page"/>, or the test's page).</summary>
    protected async Task LoginAsync(string username = "admin", string password = UiCentral.AdminPassword, IPage? page = null)
    {
        page ??= Page;
        await page.GotoAsync("/login");
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByText($"Signed in as {username}")).ToBeVisibleAsync();
    }

    protected ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    protected ILocator Alert => Page.GetByRole(AriaRole.Alert);

    protected ILocator Status => Page.Locator("[role=status]");

    /// <summary>The site names in the list, top to bottom.</summary>
    protected async Task<IReadOnlyList<string>> SiteNamesAsync() =>
        await Page.Locator("#site-list-region tbody tr td a.open").AllTextContentsAsync();

    [GeneratedRegex("[^A-Za-z0-9_.-]+")]
    private static partial Regex Unsafe();
}
