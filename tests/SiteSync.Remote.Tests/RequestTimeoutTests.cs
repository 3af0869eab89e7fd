using SiteSync.Remote.Sync;
using SiteSync.Remote.Tests.Support;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests;

/// <summary>Reliability plan F5 (blackhole) on the engine: central accepts a request and never answers. The requests made once
/// rather than in sized batches (site info, the status poll, the check) end after the request timeout on the site's clock, and
/// the cycle fails with <c>request_timeout</c>; nothing waits for ever.</summary>
public sealed class RequestTimeoutTests : IDisposable
{
    // A guard against a hang, far above any wait of these tests (the clock they step is not the wall clock).
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly FakeCentral _central = new();
    private readonly SteppedClock _clock = new();
    private TestSite? _site;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<TestSite> SiteAsync()
    {
        _central.AddStore("store-1", FakeCentral.SiteId);
        _site = await TestSite.CreateAsync(_central, configure: o =>
        {
            o.RequestTimeout = TimeSpan.FromSeconds(20);
            o.IntegrationPollPeriod = TimeSpan.FromSeconds(1);
        }, time: _clock);
        return _site;
    }

    /// <summary>From now on, central takes <paramref name="endpoint"/> requests and never answers them; the task completes when
    /// the first one arrives.</summary>
    private Task Blackhole(string endpoint)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _central.Fault = async (request, token) =>
        {
            if (request.Endpoint == endpoint)
            {
                arrived.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            }

            return null;
        };
        return arrived.Task;
    }

    [Fact]
    public async Task SiteInfoThatNeverComesFailsTheCycleWithRequestTimeout()
    {
        var site = await SiteAsync();
        var arrived = Blackhole("GET /sync/v5/site");

        var sync = site.SyncAsync();
        await arrived.WaitAsync(Guard, Ct);
        _clock.Advance(site.Options.RequestTimeout);
        var exception = await Assert.ThrowsAsync<SyncCycleException>(() => sync.WaitAsync(Guard, Ct));

        Assert.Equal(SyncCycleErrorCodes.RequestTimeout, exception.Code);
        Assert.Equal(SyncCycleErrorCodes.RequestTimeout, (await site.Site.GetStatusAsync(Ct)).LastCycle?.ErrorCode);
    }

    [Fact]
    public async Task StatusPollThatNeverComesFailsTheCycleWithRequestTimeout()
    {
        var site = await SiteAsync();
        await site.SyncAsync().WaitAsync(Guard, Ct);
        _central.Requests.Clear();
        var arrived = Blackhole("GET /sync/v5/site_status");

        var sync = site.SyncAsync();
        await arrived.WaitAsync(Guard, Ct);
        _clock.Advance(site.Options.RequestTimeout);
        var exception = await Assert.ThrowsAsync<SyncCycleException>(() => sync.WaitAsync(Guard, Ct));

        Assert.Equal(SyncCycleErrorCodes.RequestTimeout, exception.Code);
        Assert.DoesNotContain(_central.Requests, r => r.Endpoint == "GET /sync/v5/central_records");
    }

    [Fact]
    public async Task CheckThatNeverGetsAnAnswerReportsRequestTimeout()
    {
        var site = await SiteAsync();
        var arrived = Blackhole("GET /sync/v5/site");

        var check = site.Site.CheckAsync(Ct);
        await arrived.WaitAsync(Guard, Ct);
        _clock.Advance(site.Options.RequestTimeout);
        var result = await check.WaitAsync(Guard, Ct);

        Assert.Equal(SyncCycleErrorCodes.RequestTimeout, result.Code);
    }

    public void Dispose()
    {
        _site?.Dispose();
        _central.Dispose();
    }
}
