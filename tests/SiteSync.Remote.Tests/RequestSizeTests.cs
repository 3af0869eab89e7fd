using System.Net;
using SiteSync.Remote.Sync;
using SiteSync.Remote.Tests.Support;
using SiteSync.Testing;

namespace SiteSync.Remote.Tests;

public sealed class RequestSizeTests : IDisposable
{
    private readonly FakeCentral _central = new();
    private readonly List<TestSite> _sites = [];

    private async Task<TestSite> SiteAsync(Action<RemoteSiteOptions>? configure = null, TimeProvider? time = null)
    {
        var site = await TestSite.CreateAsync(_central, configure: configure, time: time);
        _sites.Add(site);
        return site;
    }

    private void SeedItems(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _central.UpsertCentral("item", $$"""{"ID":"item-{{i}}"}""");
        }
    }

    private List<int> CentralLimits() => _central.Requests
        .Where(r => r.Path == "/sync/v5/central_records")
        .Select(r => int.Parse(r.QueryValue("limit")!, System.Globalization.CultureInfo.InvariantCulture))
        .ToList();

    [Fact]
    public void SizeDoublesAfterAFastFullRequestUpToTheMaximum()
    {
        var controller = new RequestSizeController(300, min: 10, max: 1000);

        controller.OnSuccess(TimeSpan.FromMilliseconds(100), 300);
        controller.OnSuccess(TimeSpan.FromMilliseconds(100), 600);

        Assert.Equal(1000, controller.Current);
    }

    [Fact]
    public void SizeDoesNotGrowOnAFastRequestThatWasNotFull()
    {
        var controller = new RequestSizeController(100);

        controller.OnSuccess(TimeSpan.FromMilliseconds(100), 3);

        Assert.Equal(100, controller.Current);
    }

    [Fact]
    public void SizeHalvesOnFailureDownToTheMinimum()
    {
        var controller = new RequestSizeController(40, min: 10, max: 1000);

        controller.OnFailure();
        controller.OnFailure();
        controller.OnFailure();

        Assert.Equal(10, controller.Current);
    }

    [Fact]
    public void SizeHalvesAfterASlowSuccessfulRequest()
    {
        var controller = new RequestSizeController(100);

        controller.OnSuccess(TimeSpan.FromSeconds(15), 100);

        Assert.Equal(50, controller.Current);
    }

    [Fact]
    public async Task SizeGrowsWhilePullsAreFast()
    {
        SeedItems(4000);
        using var site = await SiteAsync();

        await site.SyncAsync();

        Assert.Equal([100, 200, 400, 800, 1600, 3200], CentralLimits().Take(6));
    }

    [Fact]
    public async Task SizeShrinksOn413AndTheRequestIsRetriedSmaller()
    {
        SeedItems(30);
        using var site = await SiteAsync();
        _central.Fault = (request, _) => Task.FromResult(
            request.Path == "/sync/v5/central_records" && int.Parse(request.QueryValue("limit")!, System.Globalization.CultureInfo.InvariantCulture) > 25
                ? FakeCentral.Error(HttpStatusCode.RequestEntityTooLarge, "body_too_large", "too large")
                : null);

        var report = await site.SyncAsync();

        Assert.Equal([100, 50, 25], CentralLimits().Take(3));
        Assert.Equal(30, report.PulledCentral);
    }

    [Fact]
    public async Task SizeShrinksWhenARequestTimesOut()
    {
        SeedItems(5);
        var clock = new SteppedClock();
        using var site = await SiteAsync(time: clock);
        var delayed = 0;
        var hanging = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _central.Fault = async (request, token) =>
        {
            if (request.Path == "/sync/v5/central_records" && delayed++ == 0)
            {
                // Central never answers this request: only the site's own request timeout ends it.
                hanging.SetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            }

            return null;
        };

        var sync = site.SyncAsync();
        await hanging.Task.WaitAsync(TestContext.Current.CancellationToken);
        clock.Advance(site.Options.RequestTimeout);
        var report = await sync;

        Assert.Equal([100, 50], CentralLimits().Take(2));
        Assert.Equal(5, report.PulledCentral);
    }

    [Fact]
    public async Task SizeShrinksOnAFailingConnection()
    {
        SeedItems(5);
        using var site = await SiteAsync();
        var failures = 0;
        _central.Fault = (request, _) => request.Path == "/sync/v5/central_records" && failures++ < 2
            ? throw new HttpRequestException("injected: connection refused")
            : Task.FromResult<HttpResponseMessage?>(null);

        var report = await site.SyncAsync();

        Assert.Equal([100, 50, 25], CentralLimits().Take(3));
        Assert.Equal(25, report.RequestSize);
    }

    [Fact]
    public async Task CycleFailsAfterTheLastAttemptAndTheShrunkSizeIsRemembered()
    {
        SeedItems(5);
        using var site = await SiteAsync(o => o.MaxAttempts = 2);
        _central.Fault = (request, _) => request.Path == "/sync/v5/central_records"
            ? throw new HttpRequestException("injected: connection refused")
            : Task.FromResult<HttpResponseMessage?>(null);

        await Assert.ThrowsAsync<HttpRequestException>(() => site.SyncAsync());
        var status = await site.Reopen().GetStatusAsync(TestContext.Current.CancellationToken);

        Assert.Equal(25, status.RequestSize);
    }

    [Fact]
    public async Task GrownSizeIsRememberedByTheNextProcess()
    {
        SeedItems(500);
        using var site = await SiteAsync();
        await site.SyncAsync();

        var status = await site.Reopen().GetStatusAsync(TestContext.Current.CancellationToken);

        // 100 and 200 came back full and fast; the 400 request got the last 200 records, which says nothing about the link.
        Assert.Equal(400, status.RequestSize);
    }

    public void Dispose()
    {
        foreach (var site in _sites)
        {
            site.Dispose();
        }

        _central.Dispose();
    }
}
