using SiteSync.Remote.Sync;
using SiteSync.Remote.Tests.Support;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests;

public sealed class RunLoopTests : IDisposable
{
    private readonly FakeCentral _central = new();
    private TestSite? _site;

    [Fact]
    public async Task RunSyncsAtStartAndStopsCleanlyWhileWaitingForTheInterval()
    {
        _central.AddStore("store-1", FakeCentral.SiteId);
        _site = await TestSite.CreateAsync(_central, configure: o => o.SettingsRecheckPeriod = TimeSpan.FromMilliseconds(20));
        using var stop = new CancellationTokenSource();
        var reports = new List<SyncReport>();

        var run = _site.Site.RunAsync(null, report => { reports.Add(report); stop.Cancel(); }, _ => stop.Cancel(), stop.Token);
        await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(SyncOutcomes.Ok, Assert.Single(reports).Outcome);
    }

    [Fact]
    public async Task IntervalZeroPausesTheLoopWithoutAnyRequest()
    {
        _site = await TestSite.CreateAsync(_central, configure: o => o.SettingsRecheckPeriod = TimeSpan.FromMilliseconds(20));
        await _site.Site.SetConfigAsync("interval", "0", null, TestContext.Current.CancellationToken);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await _site.Site.RunAsync(null, null, null, stop.Token).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Empty(_central.Requests);
    }

    public void Dispose()
    {
        _site?.Dispose();
        _central.Dispose();
    }
}
