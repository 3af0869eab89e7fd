using SiteSync.FaultTests.Support;
using SiteSync.Testing;

namespace SiteSync.FaultTests;

/// <summary>Reliability plan F1, F2, F3 (and the authentication, change-log and integration points): central, a real
/// process, is killed (<see cref="Environment.FailFast(string)"/>) at every server fail point, at an occurrence the sweep
/// picks (every one of the first five in the long tier) in a small scenario (a fresh site binds, three cycles push 60 local edits in batches of 20, central writes
/// items and central-store data between cycles). After each kill central restarts, the site syncs to quiescence and the
/// checker compares central and the site record by record: nothing lost, nothing applied twice, nothing unexpected.</summary>
public sealed class ServerKillSweepTests(ITestOutputHelper output)
{
    public static readonly string[] Points =
    [
        "auth.after_bind_before_commit",
        "push.before_tx",
        "push.after_apply_before_commit",
        "push.after_commit_before_response",
        "integrate.mid_tx",
        "pull.after_select_before_response",
        "ack.before_commit",
        "ack.after_commit_before_response",
        "changelog.after_insert_before_commit",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothEngines))]
    public async Task CentralKilledAtEveryServerFailPointLosesNothingAndAppliesNothingTwice(Engine engine)
    {
        using var scratch = new Scratch();
        var planFile = scratch.PathOf("central.plan");
        await File.WriteAllTextAsync(planFile, "", Ct);
        await using var central = await CentralProcess.StartAsync(engine, failPoints: "@" + planFile);
        var db = new CentralDb(central.Database);
        await db.InstallApplyLogAsync();
        var seed = Sweep.DailySeed;
        output.WriteLine($"seed {seed} (SITESYNC_FAULTS_SEED={seed} replays this run's occurrences)");

        // A dry run counts how often the scenario reaches each point, so the sweep covers every occurrence that exists.
        var dry = await RunCaseAsync(central, db, scratch, planFile, "dry", "*=count");
        var hits = central.FailPointHits().Select(l => l.Split(' ')[0]).GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
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
        var kills = 0;
        foreach (var point in Points.Where(hits.ContainsKey))
        {
            foreach (var occurrence in Sweep.Occurrences(point, hits[point], seed))
            {
                var outcome = await RunCaseAsync(central, db, scratch, planFile, $"{point}@{occurrence}", $"{point}=kill@{occurrence}");
                kills += outcome.Killed ? 1 : 0;
                output.WriteLine($"{point} kill@{occurrence}: {outcome.Summary} [{outcome.Timings}]");
                if (!outcome.Passed)
                {
                    failures.Add($"{point} kill@{occurrence}: {outcome.Summary}");
                }
            }
        }

        output.WriteLine($"{engine}: {kills} kills");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private sealed record CaseOutcome(bool Killed, CheckResult Check, string? Problem)
    {
        public string Timings { get; init; } = "";

        public bool Passed => Check.Valid && Problem is null;

        public string Summary => $"{(Killed ? "killed" : "not killed")}; {Check}{(Problem is null ? "" : "; " + Problem)}";
    }

    /// <summary>One case: a fresh site and remote (set up unarmed), the plan armed, the scenario until it ends or central
    /// dies, then the plan cleared, central restarted, the site synced to quiescence, and the checker.</summary>
    private static async Task<CaseOutcome> RunCaseAsync(CentralProcess central, CentralDb db, Scratch scratch, string planFile, string label, string plan)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        List<(string, TimeSpan)> timings = [];
        var index = Interlocked.Increment(ref _cases);
        var prefix = $"{scratch.Prefix}c{index:D2}-";
        var history = new History(prefix);
        var store = await central.Admin.CreateStoreAsync($"{prefix}S", $"Store {label}");
        var site = await central.Admin.CreateSiteAsync($"{prefix}site", SyncScenario.SitePassword, storeIds: [store.Id]);
        using var remote = new InProcessRemote(site.Name, scratch.PathOf(prefix + "remote"), $"hw-{prefix}");
        await remote.InitAsync(central.BaseAddress, site.Name, SyncScenario.SitePassword);
        await remote.Site.SetConfigAsync("request-size-max", "20", null, Ct);
        await remote.Site.SetConfigAsync("request-size", "20", null, Ct);
        await RemoteDb.InstallApplyLogAsync(remote.DatabasePath);
        var workload = new Workload(history, central.Admin, [site.Name]);
        var member = new Member(site.Name, site.Id, store.Id, remote);

        timings.Add(("setup", watch.Elapsed));
        central.ClearFailPointLog();
        await File.WriteAllTextAsync(planFile, plan, Ct);
        try
        {
            await ScenarioAsync(central, workload, member);
        }
        finally
        {
            await File.WriteAllTextAsync(planFile, "", Ct);
        }
        timings.Add(("scenario", watch.Elapsed));
        // A fail point logs its hit before FailFast, which can take a moment to end the process.
        var killed = !central.IsRunning
            || (central.FailPointHits().Any(h => h.EndsWith(" kill", StringComparison.Ordinal)) && await central.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        string? problem = null;
        if (killed)
        {
            if (!central.Output.Contains("fail point ", StringComparison.Ordinal))
            {
                problem = "central died but not at the fail point";
            }
            await central.RestartAsync("@" + planFile);
            timings.Add(("restart", watch.Elapsed));
        }
        else if (plan.Contains("=kill", StringComparison.Ordinal))
        {
            problem = "central was never killed: the point was not reached at this occurrence";
        }

        try
        {
            await remote.SyncToQuiescenceAsync();
        }
        catch (InvalidOperationException exception)
        {
            problem = (problem is null ? "" : problem + "; ") + exception.Message;
        }
        timings.Add(("quiescence", watch.Elapsed));
        var check = await Checker.CheckAsync(history, db, [remote]);
        var status = (string?)await db.ScalarAsync("SELECT integration_status FROM site WHERE id = @id", ("@id", site.Id));
        if (status != "idle")
        {
            problem = (problem is null ? "" : problem + "; ") + $"site left '{status}'";
        }
        if (db.Engine == Engine.Sqlite && (string?)await db.ScalarAsync("PRAGMA integrity_check") != "ok")
        {
            problem = (problem is null ? "" : problem + "; ") + "central integrity_check failed";
        }
        if (await RemoteDb.TextAsync(remote.DatabasePath, "PRAGMA integrity_check") != "ok")
        {
            problem = (problem is null ? "" : problem + "; ") + "remote integrity_check failed";
        }
        await history.SaveAsync(scratch.PathOf(prefix + "history.jsonl"));
        timings.Add(("check", watch.Elapsed));
        return new CaseOutcome(killed, check, problem) { Timings = string.Join(" ", timings.Select(t => $"{t.Item1}@{t.Item2.TotalSeconds:0.0}")) };
    }

    private static int _cases;

    /// <summary>The scenario: a first cycle (bind, initialise), then three cycles with local edits (new and updated), central items and central-store data between
    /// them. Stops at the first sign that central died (the caller restarts it).</summary>
    private static async Task ScenarioAsync(CentralProcess central, Workload workload, Member member)
    {
        var remote = member.InProcess;
        List<string> pushed = [];
        await workload.CentralItemsAsync(3);
        // The first cycle binds the device and initialises the site: local edits need its active store.
        var (_, first) = await remote.TrySyncAsync();
        if (first is not null || !central.IsRunning)
        {
            return;
        }
        for (var cycle = 0; cycle < 3 && central.IsRunning; cycle++)
        {
            var updates = pushed.Take(cycle == 0 ? 0 : 10).ToList();
            var (ops, json) = workload.LocalTransactions(member.SiteName, member.StoreId, cycle == 0 ? 30 : 10);
            await remote.PutAsync("transact", json);
            History.Complete(ops, OpType.Ok);
            pushed.AddRange(ops.Select(o => o.RecordId));
            if (updates.Count > 0)
            {
                var (updateOps, updateJson) = workload.LocalTransactions(member.SiteName, member.StoreId, 0, updates);
                await remote.PutAsync("transact", updateJson);
                History.Complete(updateOps, OpType.Ok);
            }
            var (_, error) = await remote.TrySyncAsync();
            if (error is not null || !central.IsRunning)
            {
                return;
            }
            var items = await workload.CentralItemsAsync(3);
            if (items.Outcome != OpType.Ok || !central.IsRunning)
            {
                return;
            }
            var joins = await workload.StoreJoinsAsync(member.SiteName, member.StoreId, 3);
            if (joins.Outcome != OpType.Ok)
            {
                return;
            }
        }
        await remote.TrySyncAsync();
    }
}
