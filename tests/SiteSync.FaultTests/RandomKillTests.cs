using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using SiteSync.FaultTests.Support;
using SiteSync.Testing;

namespace SiteSync.FaultTests;

/// <summary>Reliability plan §2 item 4 (Jepsen-style nemesis), F1, F2, F4, F5 together: while central authors items and the
/// remotes (real <c>sitesync</c> processes, behind the fault proxy) edit transactions and sync, a seeded nemesis SIGKILLs
/// central or a remote's running sync at random moments, and the proxy delays, throttles, cuts and resets connections.
/// Then everything heals, every remote syncs to quiescence and the checker compares central and every remote record by
/// record. The seed is printed; <c>SITESYNC_FAULTS_SEED</c> replays it. The long tier (<c>./test.sh --long</c>) writes
/// 50,000 records across 100 kills.</summary>
public sealed class RandomKillTests(ITestOutputHelper output)
{
    private sealed record Size(int Records, int Kills, int Remotes, int MaxBatch);

    [Theory, ClassData(typeof(BothEngines))]
    public Task RandomKillsOfCentralAndRemotesBehindAFaultyNetworkLoseNothing(Engine engine) =>
        RunAsync(engine, Tier.IsLong ? new Size(2_000, 20, 3, 100) : new Size(Records: 250, Kills: 6, Remotes: 2, MaxBatch: 40), Tier.Seed(20261126 + (int)engine));

    [Theory, ClassData(typeof(BothEngines)), Trait(Tier.Trait, Tier.LongTier)]
    public Task FiftyThousandRecordsAcrossAHundredRandomKillsLoseNothing(Engine engine) =>
        RunAsync(engine, Tier.IsLong ? new Size(50_000, 100, 3, 600) : new Size(1_000, 10, 2, 100), Tier.Seed(50_000 + (int)engine));

    private async Task RunAsync(Engine engine, Size size, int seed)
    {
        output.WriteLine($"{engine}: seed {seed} (SITESYNC_FAULTS_SEED={seed} replays the nemesis' choices); target {size}");
        var watch = Stopwatch.StartNew();
        using var scratch = new Scratch();
        await using var central = await CentralProcess.StartAsync(engine);
        var db = new CentralDb(central.Database);
        await db.InstallApplyLogAsync();
        await using var proxy = new FaultProxy(central.Port, seed);
        using var fleet = await Fleet.ProcessesAsync(central.Admin, proxy.Address, scratch, size.Remotes, requestSizeMax: Math.Max(50, size.MaxBatch));
        proxy.Planner = connection => Faulty(proxy);
        var random = new Random(seed);
        var nemesisRandom = new Random(seed * 31 + 7);
        var syncs = new ConcurrentDictionary<string, Process>(StringComparer.Ordinal);
        var syncResults = new ConcurrentBag<string>();
        var centralKills = 0;
        var remoteKills = 0;
        var stop = new CancellationTokenSource();
        var centralLock = new SemaphoreSlim(1, 1);

        // The nemesis: every 0.5–3 s, SIGKILL central (restart after up to 0.5 s) or a running remote sync.
        var nemesis = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && centralKills + remoteKills < size.Kills)
            {
                await Task.Delay(500 + nemesisRandom.Next(2_500), CancellationToken.None);
                if (nemesisRandom.Next(2) == 0)
                {
                    await centralLock.WaitAsync();
                    try
                    {
                        await central.KillAsync();
                        centralKills++;
                        await Task.Delay(nemesisRandom.Next(500));
                        await central.RestartAsync();
                    }
                    finally
                    {
                        centralLock.Release();
                    }
                }
                else if (syncs.Values.Where(p => !p.HasExited).ToList() is { Count: > 0 } running)
                {
                    var victim = running[nemesisRandom.Next(running.Count)];
                    try
                    {
                        victim.Kill(entireProcessTree: true);
                        remoteKills++;
                    }
                    catch (InvalidOperationException)
                    {
                        // It finished first.
                    }
                }
            }
        });

        // The workload: items on central, transactions on the remotes (new ones and new versions), background syncs.
        var written = 0;
        List<(string Remote, string Id)> transactions = [];
        List<string> items = [];
        while (written < size.Records || (!nemesis.IsCompleted && watch.Elapsed < TimeSpan.FromHours(2)))
        {
            var action = random.Next(10);
            var count = 1 + random.Next(size.MaxBatch);
            if (written >= size.Records)
            {
                action = 9;
            }
            if (action < 2)
            {
                var updates = items.Count > 0 && random.Next(3) == 0 ? Pick(random, items, Math.Min(count, items.Count)) : null;
                var (ops, _) = await fleet.Workload.CentralItemsAsync(count, updates);
                items.AddRange(ops.Where(o => updates is null).Select(o => o.RecordId));
                written += ops.Count;
            }
            else if (action < 6)
            {
                var member = fleet.Members[random.Next(fleet.Members.Count)];
                var own = transactions.Where(t => t.Remote == member.SiteName).Select(t => t.Id).ToList();
                var updates = own.Count > 0 && random.Next(3) == 0 ? Pick(random, own, Math.Min(count, own.Count)) : null;
                var ops = await fleet.PutTransactionsAsync(member, count, updates);
                transactions.AddRange(ops.Where(o => updates is null).Select(o => (member.SiteName, o.RecordId)));
                written += ops.Count;
            }
            else
            {
                var member = fleet.Members[random.Next(fleet.Members.Count)];
                if (!syncs.TryGetValue(member.SiteName, out var running) || running.HasExited)
                {
                    var process = member.Cli.Start("", null, "remote", "sync", "--json");
                    syncs[member.SiteName] = process;
                    _ = Task.Run(async () =>
                    {
                        // Both pipes at once: a process blocked writing one of them while we wait on the other never exits.
                        var error = process.StandardError.ReadToEndAsync();
                        var result = process.StandardOutput.ReadToEndAsync();
                        await Task.WhenAll(error, result);
                        await process.WaitForExitAsync();
                        syncResults.Add($"{member.SiteName} exit {process.ExitCode}: {await error}");
                    });
                }
                await Task.Delay(100 + random.Next(400));
            }
        }

        // Heal: the nemesis stops, syncs in flight end, the network is clean, central is up; then quiescence.
        await stop.CancelAsync();
        await nemesis;
        foreach (var process in syncs.Values)
        {
            await process.WaitForExitAsync();
        }
        proxy.SetPlan(ConnectionPlan.Clean);
        if (!central.IsRunning)
        {
            await central.RestartAsync();
        }
        foreach (var member in fleet.Members)
        {
            await member.Cli.SyncToQuiescenceAsync();
        }
        foreach (var member in fleet.Members)
        {
            // A second pass: central data another remote pushed meanwhile, and proof that quiescence holds.
            await member.Cli.SyncToQuiescenceAsync();
        }

        var check = await Checker.CheckAsync(fleet.History, db, fleet.Nodes);
        await fleet.History.SaveAsync(scratch.PathOf("history.jsonl"));
        var records = fleet.History.Ops.Select(o => (o.Table, o.RecordId)).Distinct().Count();
        var faults = proxy.Log.GroupBy(c => c.Plan).Where(g => g.Key != "clean").Select(g => $"{g.Key}×{g.Count()}");
        output.WriteLine($"{engine}: {records} records in {check.Attempted} writes; {centralKills} central kills, {remoteKills} remote kills; " +
            $"proxy: {proxy.ConnectionCount} connections, faults {string.Join(", ", faults)}; {check.Summary}; {watch.Elapsed.TotalSeconds:0} s");
        var secrets = SecretsIn(central.Output + string.Join("\n", syncResults), fleet);

        Assert.True(check.Valid, $"seed {seed}: {check}");
        Assert.True(centralKills + remoteKills >= size.Kills, $"only {centralKills + remoteKills} kills happened");
        Assert.True(secrets.Count == 0, "secrets in logs: " + string.Join(", ", secrets));
        if (engine == Engine.Sqlite)
        {
            Assert.Equal("ok", (string?)await db.ScalarAsync("PRAGMA integrity_check"));
        }
        foreach (var member in fleet.Members)
        {
            Assert.Equal("ok", await RemoteDb.TextAsync(member.Node.DatabasePath, "PRAGMA integrity_check"));
        }
    }

    private static List<string> Pick(Random random, List<string> from, int count) =>
        [.. from.OrderBy(_ => random.Next()).Take(count).Distinct()];

    /// <summary>Per connection: mostly clean; otherwise a delay, a throttle, a cut request or response, a reset, or a short
    /// blackhole that ends in a reset (the remote's own timeout is minutes).</summary>
    private static ConnectionPlan Faulty(FaultProxy proxy)
    {
        // The remotes keep connections alive across requests, so cut offsets reach far into a connection's later requests.
        var roll = proxy.Next(100);
        return roll switch
        {
            < 50 => ConnectionPlan.Clean,
            < 62 => ConnectionPlan.Delayed(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(180)),
            < 67 => ConnectionPlan.Throttled(256_000),
            < 80 => ConnectionPlan.CutResponse(proxy.Next(300_000)),
            < 90 => ConnectionPlan.CutRequest(proxy.Next(100_000)),
            < 95 => ConnectionPlan.ResetAtOnce(),
            _ => ConnectionPlan.BlackholeThenReset(TimeSpan.FromMilliseconds(500 + proxy.Next(1_500))),
        };
    }

    /// <summary>F26: the sites' password hashes, Basic credentials and the admin password never appear in any output.</summary>
    internal static List<string> SecretsIn(string text, Fleet fleet)
    {
        var secret = OmsTestClient.Sha256Hex(SyncScenario.SitePassword);
        List<string> found = [];
        if (text.Contains(secret, StringComparison.OrdinalIgnoreCase))
        {
            found.Add("a site's sha256 password hash");
        }
        if (text.Contains(CentralFactory.AdminPassword, StringComparison.Ordinal))
        {
            found.Add("the admin password");
        }
        foreach (var member in fleet.Members)
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{member.SiteName}:{secret}"));
            if (text.Contains(basic, StringComparison.Ordinal))
            {
                found.Add($"{member.SiteName}'s Basic credentials");
            }
        }
        return found;
    }
}
