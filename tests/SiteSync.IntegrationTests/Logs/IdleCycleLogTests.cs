using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using SiteSync.IntegrationTests.Support;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Logs;

/// <summary>Rule 19 at fleet scale: 1,000 sites syncing every 5 minutes would add 288,000 idle lines a day. Idle cycles of a
/// site share one line per hour (with their count); a cycle that moved records or logged anything else keeps its own.</summary>
public sealed class IdleCycleLogTests
{
    // Far from the real clock: the credential cache expires entries by the real clock, so a fake "now" in the past would
    // make every request pay a slow hash.
    private static readonly DateTimeOffset Start = new(2031, 3, 4, 10, 0, 0, TimeSpan.Zero);

    [Theory, ClassData(typeof(BothEngines))]
    public async Task IdleCyclesOfTheSameHourShareOneLineThatCountsThem(Engine engine)
    {
        var time = new FakeTimeProvider(Start);
        await using var central = await TestCentral.StartAsync(engine, time: time);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");

        await client.SyncAsync();
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromMinutes(5));
            await client.SyncAsync();
        }
        time.SetUtcNow(Start.AddHours(1).AddMinutes(2));
        await client.SyncAsync();

        var lines = await SyncLinesAsync(central, site.Id);
        Assert.Equal(3, lines.Count);
        Assert.Null(lines[0].IdleCycles);
        Assert.Matches(@"^Sync completed in \d+\.\d s: pushed 0, pulled \d+ central and \d+ queued record\(s\)\.$", lines[0].Message);
        Assert.Equal(3, lines[1].IdleCycles);
        Assert.Equal(Start.AddMinutes(5), lines[1].At);
        Assert.Equal("Sync completed 3 times with nothing to move, 10:05:00 to 10:15:00 UTC; the last in 0.0 s.", lines[1].Message);
        Assert.Equal(1, lines[2].IdleCycles);
        Assert.Equal("Sync completed in 0.0 s: pushed 0, pulled 0 central and 0 queued record(s).", lines[2].Message);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task CyclesThatMoveRecordsOrLogARejectionKeepTheirOwnLineAndEndTheIdleLine(Engine engine)
    {
        var time = new FakeTimeProvider(Start);
        await using var central = await TestCentral.StartAsync(engine, time: time);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        var other = await central.Admin.CreateStoreAsync("S2", "Store S2");
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync();

        async Task CycleAsync(Action? edit = null)
        {
            time.Advance(TimeSpan.FromMinutes(5));
            edit?.Invoke();
            await client.SyncAsync();
        }

        await CycleAsync();
        await CycleAsync();
        await CycleAsync(() => client.Edit("transact", "t1", SyncScenario.Transaction("t1", store.Id)));
        await CycleAsync();
        await CycleAsync(() => client.Edit("transact", "t2", SyncScenario.Transaction("t2", other.Id)));
        await CycleAsync();

        var lines = await SyncLinesAsync(central, site.Id);
        Assert.Equal([null, 2, null, 1, null, 1], lines.Select(l => l.IdleCycles));
        Assert.Contains("pushed 1,", lines[2].Message, StringComparison.Ordinal);
        Assert.Contains("pushed 0, pulled 0 central and 0 queued", lines[4].Message, StringComparison.Ordinal);
        var rejected = (await central.Admin.LogsAsync(site.Id)).Single(l => l.Event == "record_rejected");
        Assert.Contains("'t2'", rejected.Message, StringComparison.Ordinal);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task IdleCyclesWithinTheIdleWriteIntervalWriteNothingAndTheNextWrittenCycleCountsThem(Engine engine)
    {
        var time = new FakeTimeProvider(Start);
        await using var central = await TestCentral.StartAsync(engine, time: time);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync();
        time.Advance(TimeSpan.FromMinutes(5));
        await client.SyncAsync();
        var written = await SiteRowAsync(central, site.Id);
        Assert.Equal(Start.AddMinutes(5), written.LastSyncedAt);
        var before = await DatabaseState.ReadAsync(central);
        var lines = await SyncLinesAsync(central, site.Id);

        // Three idle cycles 5 s apart (the default interval is 30 s): not one row of the database changes.
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await client.SyncAsync();
        }
        Assert.Equal(before, await DatabaseState.ReadAsync(central));
        Assert.Equal(Columns(written), Columns(await SiteRowAsync(central, site.Id)));
        Assert.Equal(lines.Select(l => (l.Id, l.IdleCycles, l.Message)), (await SyncLinesAsync(central, site.Id)).Select(l => (l.Id, l.IdleCycles, l.Message)));

        // The first cycle past the interval writes: "last synced" and "last connection" are now, and the idle line counts all five.
        time.Advance(TimeSpan.FromSeconds(30));
        await client.SyncAsync();
        var after = await SiteRowAsync(central, site.Id);
        Assert.Equal((Start.AddSeconds(345), Start.AddSeconds(345), null), (after.LastSyncedAt, after.LastConnectedAt, after.CycleStartedAt));
        var idle = (await SyncLinesAsync(central, site.Id))[^1];
        Assert.Equal(5, idle.IdleCycles);
        Assert.Equal(Start.AddMinutes(5), idle.At);
        Assert.Equal("Sync completed 5 times with nothing to move, 10:05:00 to 10:05:45 UTC; the last in 0.0 s.", idle.Message);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ACycleThatBeginsQuietAndPushesKeepsItsOwnLineAfterTheQuietCyclesBeforeIt(Engine engine)
    {
        var time = new FakeTimeProvider(Start);
        await using var central = await TestCentral.StartAsync(engine, time: time);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync();
        time.Advance(TimeSpan.FromMinutes(5));
        await client.SyncAsync();
        time.Advance(TimeSpan.FromSeconds(5));
        await client.SyncAsync();
        time.Advance(TimeSpan.FromSeconds(5));
        client.Edit("transact", "t1", SyncScenario.Transaction("t1", store.Id));
        await client.SyncAsync();

        var lines = await SyncLinesAsync(central, site.Id);
        Assert.Equal([null, 2, null], lines.Select(l => l.IdleCycles));
        Assert.Equal("Sync completed 2 times with nothing to move, 10:05:00 to 10:05:05 UTC; the last in 0.0 s.", lines[1].Message);
        Assert.Equal("Sync completed in 0.0 s: pushed 1, pulled 0 central and 0 queued record(s).", lines[2].Message);
        Assert.Equal(Start.AddSeconds(310), lines[2].At);
        var row = await SiteRowAsync(central, site.Id);
        Assert.Equal((Start.AddSeconds(310), (DateTimeOffset?)null, 0), (row.LastSyncedAt, row.CycleStartedAt, row.CyclePushed));
    }

    private static string Columns(Central.Sites.SiteEntity row) => System.Text.Json.JsonSerializer.Serialize(row);

    private static Task<Central.Sites.SiteEntity> SiteRowAsync(TestCentral central, int siteId) =>
        central.QueryAsync(db => db.Sites.AsNoTracking().SingleAsync(s => s.Id == siteId, TestContext.Current.CancellationToken));

    private static Task<List<Central.Logs.SiteLogEntity>> SyncLinesAsync(TestCentral central, int siteId) =>
        central.QueryAsync(db => db.SiteLogs.AsNoTracking().Where(l => l.SiteId == siteId && l.Event == "sync_completed")
            .OrderBy(l => l.Id).ToListAsync(TestContext.Current.CancellationToken));
}
