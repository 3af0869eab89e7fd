using SiteSync.FaultTests.Support;
using SiteSync.Testing;

namespace SiteSync.FaultTests;

/// <summary>Reliability plan F4: the remote, a real <c>sitesync</c> process, dies (<see cref="Environment.FailFast(string)"/>)
/// at every client fail point (mid-pull, mid-integration, mid-push), at an occurrence the sweep picks. Each case: central
/// writes items and central-store data, the remote edits 30 transactions (10 of them twice), a sync dies at the point, then
/// the remote syncs to quiescence and the checker compares central and the remote record by record.</summary>
public sealed class ClientKillSweepTests(ITestOutputHelper output)
{
    public static readonly string[] Points =
    [
        "pull.after_receive_before_save",
        "pull.after_save_before_ack",
        "integrate.mid_tx",
        "integrate.after_commit_before_mark",
        "push.after_send_before_cursor",
        "push.after_cursor_before_next",
    ];

    /// <summary>The fast tier runs the sweep against central on SQLite (the remote's database is SQLite either way); the long tier
    /// on both engines.</summary>
    [Theory, MemberData(nameof(Tier.SqliteFastBothLong), MemberType = typeof(Tier))]
    public async Task ARemoteKilledAtEveryClientFailPointLosesNothingAndAppliesNothingTwice(Engine engine)
    {
        using var scratch = new Scratch();
        await using var central = await TestCentral.StartAsync(engine);
        var db = new CentralDb(central.Database);
        await db.InstallApplyLogAsync();
        var store = await central.Admin.CreateStoreAsync($"{scratch.Prefix}S", "Store");
        var site = await central.Admin.CreateSiteAsync($"{scratch.Prefix}site", SyncScenario.SitePassword, storeIds: [store.Id]);
        var remote = new RemoteCli(site.Name, scratch.PathOf("remote"), $"hw-{scratch.Prefix}");
        Assert.True((await remote.InitAsync(central.BaseAddress, site.Name, SyncScenario.SitePassword)).Ok);
        Assert.True((await remote.ConfigSetAsync("request-size-max", "20")).Ok);
        await remote.SyncUntilOkAsync();
        await RemoteDb.InstallApplyLogAsync(remote.DatabasePath);
        var member = new Member(site.Name, site.Id, store.Id, remote);
        var seed = Sweep.DailySeed;
        output.WriteLine($"seed {seed}");

        var dry = await RunCaseAsync(central, db, scratch, member, "dry", "*=count");
        var hits = remote.FailPointHits().Select(l => l.Split(' ')[0]).GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"dry run: {dry.Summary}; hits: {string.Join(", ", hits.Select(h => $"{h.Key}×{h.Value}"))}");

        List<string> failures = [];
        if (!dry.Passed)
        {
            failures.Add($"dry run (no kill): {dry.Summary}");
        }
        var unreached = Points.Where(p => !hits.ContainsKey(p)).ToList();
        if (unreached.Count > 0)
        {
            failures.Add("points the scenario never reached (hook missing?): " + string.Join(", ", unreached));
        }
        foreach (var point in Points.Where(hits.ContainsKey))
        {
            foreach (var occurrence in Sweep.Occurrences(point, hits[point], seed))
            {
                var outcome = await RunCaseAsync(central, db, scratch, member, $"{point}@{occurrence}", $"{point}=kill@{occurrence}");
                output.WriteLine($"{point} kill@{occurrence}: {outcome.Summary}");
                if (!outcome.Passed)
                {
                    failures.Add($"{point} kill@{occurrence}: {outcome.Summary}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private sealed record CaseOutcome(bool Killed, CheckResult Check, string? Problem)
    {
        public bool Passed => Check.Valid && Problem is null;

        public string Summary => $"{(Killed ? "killed" : "not killed")}; {Check}{(Problem is null ? "" : "; " + Problem)}";
    }

    private static int _cases;

    private static async Task<CaseOutcome> RunCaseAsync(TestCentral central, CentralDb db, Scratch scratch, Member member, string label, string plan)
    {
        var prefix = $"{scratch.Prefix}c{Interlocked.Increment(ref _cases):D2}-";
        var history = new History(prefix);
        var workload = new Workload(history, central.Admin, [member.SiteName]);
        var remote = member.Cli;
        remote.ClearFailPointLog();

        await workload.CentralItemsAsync(5);
        await workload.StoreJoinsAsync(member.SiteName, member.StoreId, 5);
        var (ops, json) = workload.LocalTransactions(member.SiteName, member.StoreId, 30);
        var put = await remote.PutAsync("transact", json);
        History.Complete(ops, put.Ok ? OpType.Ok : OpType.Fail);
        var (updates, updateJson) = workload.LocalTransactions(member.SiteName, member.StoreId, 0, [.. ops.Take(10).Select(o => o.RecordId)]);
        var update = await remote.PutAsync("transact", updateJson);
        History.Complete(updates, update.Ok ? OpType.Ok : OpType.Fail);

        var killedRun = await remote.SyncAsync(plan);
        var killed = killedRun.DiedAtFailPoint;
        string? problem = null;
        if (plan.Contains("=kill", StringComparison.Ordinal) && !killed)
        {
            problem = $"the remote was not killed at {label}: {killedRun}";
        }
        else if (!plan.Contains("=kill", StringComparison.Ordinal) && !killedRun.Ok)
        {
            problem = $"the dry run failed: {killedRun}";
        }

        try
        {
            await remote.SyncToQuiescenceAsync();
        }
        catch (InvalidOperationException exception)
        {
            problem = (problem is null ? "" : problem + "; ") + exception.Message;
        }
        var check = await Checker.CheckAsync(history, db, [remote]);
        if (await RemoteDb.TextAsync(remote.DatabasePath, "PRAGMA integrity_check") != "ok")
        {
            problem = (problem is null ? "" : problem + "; ") + "remote integrity_check failed";
        }
        if (await RemoteDb.ScalarAsync(remote.DatabasePath, "SELECT COUNT(*) FROM incoming") != 0)
        {
            problem = (problem is null ? "" : problem + "; ") + "records left in the remote's incoming buffer";
        }
        await history.SaveAsync(scratch.PathOf(prefix + "history.jsonl"));
        return new CaseOutcome(killed, check, problem);
    }
}
