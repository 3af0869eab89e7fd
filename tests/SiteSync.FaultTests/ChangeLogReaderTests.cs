using SiteSync.FaultTests.Support;
using SiteSync.Testing;

namespace SiteSync.FaultTests;

/// <summary>Reliability plan F12 (one node) and F19: while central data is being written, a reader that pages
/// <c>central_records</c> exactly as the Open mSupply client does never misses a change-log row (a page is never empty
/// while committed rows exist past the cursor); the naive reader under the same load does (negative control).</summary>
public sealed class ChangeLogReaderTests(ITestOutputHelper output)
{
    [Theory, ClassData(typeof(BothEngines))]
    public async Task AClientPagingTheChangeLogDuringWritesMissesNoRow(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var db = new CentralDb(central.Database);
        using var scratch = new Scratch();
        await SyncScenario.SiteWithStoreAsync(central, "reader", "RD");
        var history = new History(scratch.Prefix);
        var workload = new Workload(history, central.Admin, []);
        var writing = true;
        // Bad luck made likely: 3 ms between the change-log page and its maximum (if central reads them separately).
        using var window = InProcessFailPoints.Arm("changelog.page_before_max=delay:3@1+");
        var batches = Tier.IsLong ? 500 : 150;

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var batch = 0; batch < batches; batch++)
            {
                await workload.CentralItemsAsync(0, [.. Enumerable.Range(0, 3).Select(i => $"{scratch.Prefix}w{w}-b{batch:D3}-i{i}")]);
            }
        }, TestContext.Current.CancellationToken)).ToList();
        using var client = SyncScenario.Client(central, "reader");
        var readers = Enumerable.Range(0, 3)
            .Select(_ => Task.Run(() => TwoNodeFaultTests.ReadLikeTheClientAsync([client], () => Volatile.Read(ref writing)), TestContext.Current.CancellationToken))
            .ToList();
        var naive = Task.Run(() => TwoNodeFaultTests.ReadNaivelyAsync(db, () => Volatile.Read(ref writing)), TestContext.Current.CancellationToken);
        await Task.WhenAll(writers);
        Volatile.Write(ref writing, false);
        var seen = await Task.WhenAll(readers);
        var naiveSeen = await naive;

        var all = (await db.ChangeLogAsync()).Select(c => c.Id).ToList();
        var missed = seen.SelectMany(s => all.Where(id => !s.Contains(id))).Distinct().Order().ToList();
        var naiveMissed = all.Count(id => !naiveSeen.Contains(id));
        output.WriteLine($"{engine}: {all.Count} rows; client-like readers missed {missed.Count}; naive reader missed {naiveMissed}");
        Assert.True(missed.Count == 0, $"{engine}: rows never received by a client-like reader: {string.Join(", ", missed.Take(20))}");
        Assert.True(naiveMissed > 0, "negative control: the naive reader skipped nothing under this load");
    }
}
