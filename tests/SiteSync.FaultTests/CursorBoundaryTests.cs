using System.Globalization;
using SiteSync.FaultTests.Support;
using SiteSync.Testing;

namespace SiteSync.FaultTests;

/// <summary>Reliability plan F19 (Open mSupply #11963, PR #11437: off-by-one and max+1 cursors skipped rows): with requests of
/// b records, b ∈ {1, 2, 3, 7, 50, 500}, and n ∈ {0, 1, b−1, b, b+1, 3b} records on each channel — pushed local edits, pulled
/// change-log rows, pulled queue entries — every record is delivered exactly once, with no fault at all.</summary>
public sealed class CursorBoundaryTests(ITestOutputHelper output)
{
    public static TheoryData<Engine, int> Sizes()
    {
        var data = new TheoryData<Engine, int>();
        foreach (var engine in new[] { Engine.Sqlite, Engine.Postgres })
        {
            // The fast tier: every size on SQLite, three on PostgreSQL; the long tier: all of them on both.
            foreach (var b in engine == Engine.Sqlite || Tier.IsLong ? new[] { 1, 2, 3, 7, 50, 500 } : [1, 7, 500])
            {
                data.Add(engine, b);
            }
        }
        return data;
    }

    [Theory, MemberData(nameof(Sizes))]
    public async Task EveryRecordIsDeliveredExactlyOnceAtEveryPageBoundary(Engine engine, int b)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var db = new CentralDb(central.Database);
        await db.InstallApplyLogAsync();
        using var scratch = new Scratch();
        List<string> failures = [];

        foreach (var n in new[] { 0, 1, b - 1, b, b + 1, 3 * b }.Distinct())
        {
            var prefix = $"{scratch.Prefix}n{n}-";
            var history = new History(prefix);
            var store = await central.Admin.CreateStoreAsync($"{prefix}S", $"Store {n}");
            var site = await central.Admin.CreateSiteAsync($"{prefix}site", SyncScenario.SitePassword, storeIds: [store.Id]);
            using var remote = new InProcessRemote(site.Name, scratch.PathOf(prefix), $"hw-{prefix}");
            await remote.InitAsync(central.BaseAddress, site.Name, SyncScenario.SitePassword);
            foreach (var (key, value) in new[] { ("request-size-min", b), ("request-size-max", b), ("request-size", b) })
            {
                await remote.Site.SetConfigAsync(key, value.ToString(CultureInfo.InvariantCulture), null, TestContext.Current.CancellationToken);
            }
            await RemoteDb.InstallApplyLogAsync(remote.DatabasePath);
            var workload = new Workload(history, central.Admin, [site.Name]);
            var member = new Member(site.Name, site.Id, store.Id, remote);
            if (n > 0)
            {
                await workload.CentralItemsAsync(n);
                await workload.StoreJoinsAsync(site.Name, store.Id, n);
            }
            await remote.SyncAsync();
            if (n > 0)
            {
                var (ops, json) = workload.LocalTransactions(site.Name, store.Id, n);
                await remote.PutAsync("transact", json);
                History.Complete(ops, OpType.Ok);
            }
            await remote.SyncToQuiescenceAsync();

            var check = await Checker.CheckAsync(history, db, [remote]);
            var counts = (
                await RemoteDb.ScalarAsync(remote.DatabasePath, $"SELECT COUNT(*) FROM records WHERE table_name = 'item' AND record_id LIKE '{prefix}%'"),
                await RemoteDb.ScalarAsync(remote.DatabasePath, $"SELECT COUNT(*) FROM records WHERE table_name = 'name_store_join' AND record_id LIKE '{prefix}%'"),
                await db.CountAsync($"SELECT COUNT(*) FROM record WHERE table_name = 'transact' AND record_id LIKE '{prefix}%'"));
            output.WriteLine($"b={b} n={n}: items/joins at the remote, transactions at central = {counts}; {check.Summary}");
            if (!check.Valid || counts != (n, n, n))
            {
                failures.Add($"b={b} n={n}: {counts}; {check}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
