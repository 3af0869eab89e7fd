using Microsoft.Playwright;

namespace SiteSync.E2ETests.Support;

/// <summary>One headless Debian Chromium for the whole run (Playwright cannot download its own browsers here); every test
/// gets its own browser context, so cookies and storage never leak between tests.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Overridable for machines where Chromium lives elsewhere.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("SITESYNC_CHROMIUM") ?? "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"No Chromium at {ExecutablePath}: apt-get install chromium (./test.sh does it).");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}
