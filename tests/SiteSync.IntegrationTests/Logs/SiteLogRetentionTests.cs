using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using SiteSync.Central.Logs;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Logs;

/// <summary>The site log keeps <c>SiteSync:Logs:RetentionDays</c> days: older lines are deleted in small batches, at start
/// and then every hour of the host's clock.</summary>
public sealed class SiteLogRetentionTests
{
    private static readonly DateTimeOffset Start = new(2031, 3, 4, 10, 0, 0, TimeSpan.Zero);

    [Theory, ClassData(typeof(BothEngines))]
    public async Task PruningDeletesOnlyLinesOlderThanTheCutoffInBatches(Engine engine)
    {
        var time = new FakeTimeProvider(Start);
        await using var central = await TestCentral.StartAsync(engine, time: time);
        await AddLinesAsync(central, 250, Start.AddDays(-31), siteId: 7);
        await AddLinesAsync(central, 5, Start.AddDays(-29), siteId: 8);

        var result = await central.QueryAsync(db => new SiteLog(db, time).PruneAsync(Start.AddDays(-30), 100, TestContext.Current.CancellationToken));

        Assert.Equal(new SiteLogPruneResult(250, 3), result);
        Assert.Equal(0, await CountAsync(central, siteId: 7));
        Assert.Equal(5, await CountAsync(central, siteId: 8));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheRetentionPassRunsEveryHourOfTheHostClockWithTheConfiguredPeriod(Engine engine)
    {
        var time = new FakeTimeProvider(Start);
        await using var central = await TestCentral.StartAsync(engine, new Dictionary<string, string?> { ["SiteSync:Logs:RetentionDays"] = "7" }, time);
        await AddLinesAsync(central, 3, Start.AddDays(-7).AddMinutes(30), siteId: 7);
        await AddLinesAsync(central, 2, Start.AddDays(-6), siteId: 8);

        time.Advance(TimeSpan.FromHours(1));

        // The pass logs its line after its last batch commits: wait for both.
        await WaitUntilAsync(async () => await CountAsync(central, siteId: 7) == 0
            && central.Factory.Logs.Lines.Any(l => l.Contains("Site log: deleted 3 line(s) older than 7 days", StringComparison.Ordinal)));
        Assert.Equal(2, await CountAsync(central, siteId: 8));
    }

    private static Task<int> AddLinesAsync(TestCentral central, int count, DateTimeOffset at, int siteId) => central.QueryAsync(async db =>
    {
        db.SiteLogs.AddRange(Enumerable.Range(0, count).Select(i => new SiteLogEntity
        {
            SiteId = siteId,
            At = at.AddSeconds(i),
            Level = SiteLogLevels.Info,
            Event = SiteLogEvents.SyncCompleted,
            Message = $"line {i}",
        }));
        return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    });

    private static Task<int> CountAsync(TestCentral central, int siteId) =>
        central.QueryAsync(db => db.SiteLogs.CountAsync(l => l.SiteId == siteId, TestContext.Current.CancellationToken));

    /// <summary>The pass the fake clock triggered runs on the host's own thread; wait (bounded) for its effect.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The retention pass did not run.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
