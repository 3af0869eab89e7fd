using SiteSync.Remote.Sync;
using SiteSync.Remote.Tests.Support;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests;

/// <summary>The run loop on a stepped clock: time moves only when the loop waits, so these tests never sleep.</summary>
public sealed class RunLoopTests : IDisposable
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);
    private readonly FakeCentral _central = new();
    private readonly SteppedClock _clock = new();
    private TestSite? _site;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunSyncsAtStartThenWaitsTheIntervalReReadingItAndStopsCleanlyWhileWaiting()
    {
        _central.AddStore("store-1", FakeCentral.SiteId);
        _site = await TestSite.CreateAsync(_central, configure: o =>
        {
            o.SettingsRecheckPeriod = Recheck;
            o.IntegrationPollPeriod = TimeSpan.FromSeconds(1);
        }, time: _clock);
        using var stop = new CancellationTokenSource();
        var reports = new List<SyncReport>();
        var cycles = new SemaphoreSlim(0);

        var run = _site.Site.RunAsync(null, report => { reports.Add(report); cycles.Release(); }, _ => cycles.Release(), stop.Token);
        Assert.True(await cycles.WaitAsync(TimeSpan.FromSeconds(30), Ct), "no cycle at start");
        // The interval is 5 minutes: four rechecks of the setting pass without a cycle, the fifth minute is due.
        for (var minute = 1; minute <= 4; minute++)
        {
            await _clock.AdvanceWhenWaitingAsync(Recheck, Ct);
            Assert.Single(reports);
        }
        // The second cycle pushes and polls central at once, which has integrated already: no wait.
        await _clock.AdvanceWhenWaitingAsync(Recheck, Ct);
        Assert.True(await cycles.WaitAsync(TimeSpan.FromSeconds(30), Ct), "no cycle after the interval");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal([SyncOutcomes.Ok, SyncOutcomes.Ok], reports.Select(r => r.Outcome));
    }

    [Fact]
    public async Task IntervalZeroPausesTheLoopWithoutAnyRequestAndSettingAnIntervalResumesIt()
    {
        _central.AddStore("store-1", FakeCentral.SiteId);
        _site = await TestSite.CreateAsync(_central, configure: o => o.SettingsRecheckPeriod = Recheck, time: _clock);
        await _site.Site.SetConfigAsync("interval", "0", null, Ct);
        using var stop = new CancellationTokenSource();
        var cycles = new SemaphoreSlim(0);

        var run = _site.Site.RunAsync(null, _ => cycles.Release(), _ => cycles.Release(), stop.Token);
        // A day of rechecks while paused: the setting is re-read every minute, central is never called.
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            await _clock.AdvanceWhenWaitingAsync(Recheck, Ct);
        }
        var whilePaused = _central.Requests.Count;
        await _site.Site.SetConfigAsync("interval", "5", null, Ct);
        await _clock.AdvanceWhenWaitingAsync(Recheck, Ct);
        Assert.True(await cycles.WaitAsync(TimeSpan.FromSeconds(30), Ct), "no cycle after the interval was set");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(0, whilePaused);
        Assert.NotEmpty(_central.Requests);
    }

    public void Dispose()
    {
        _site?.Dispose();
        _central.Dispose();
    }
}
