using System.Diagnostics;
using System.Text.Json.Nodes;
using SiteSync.FaultTests.Support;
using SiteSync.Testing;
using SiteSync.Protocol.Client;

namespace SiteSync.FaultTests;

/// <summary>Faults of the machine rather than the network: two devices claiming one site (F8), clock skew (F9), a full disk
/// (F10), a busy database (F11). Each ends with the checker.</summary>
public sealed class EnvironmentFaultTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>F8: fifty devices log in to one fresh site at once (through two nodes on PostgreSQL): exactly one binds, the
    /// other 49 are refused with <c>site_incorrect_hardware_id</c>, and the losers can neither push, pull nor consume the queue.
    /// After an admin reset exactly one new device binds and the old one is refused.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task OfFiftyDevicesLoggingInAtOnceOneBindsAndTheLosersConsumeNothing(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var nodes = engine == Engine.Postgres ? [central.BaseAddress, central.StartNode().BaseAddress] : new[] { central.BaseAddress };
        var store = await central.Admin.CreateStoreAsync("TD", "Two devices");
        var joins = new JsonArray([.. Enumerable.Range(0, 30).Select(i => (JsonNode)new JsonObject { ["ID"] = $"j{i}", ["name_ID"] = "n", ["store_ID"] = store.Id })]);
        await central.Admin.UpsertRecordsAsync(new JsonObject { ["name_store_join"] = joins }.ToJsonString());
        var site = await central.Admin.CreateSiteAsync("clinic", SyncScenario.SitePassword, storeIds: [store.Id]);
        var devices = Enumerable.Range(0, 50).Select(i => new OmsTestClient(nodes[i % nodes.Length], "clinic", SyncScenario.SitePassword, $"device-{i:D2}")).ToList();
        var db = new CentralDb(central.Database);
        try
        {
            var logins = await Task.WhenAll(devices.Select(d => d.GetAsync("/sync/v5/site")));
            var winners = devices.Where((_, i) => logins[i].Status == 200).ToList();
            var losers = devices.Where((_, i) => logins[i].Status != 200).ToList();
            Assert.True(winners.Count == 1, $"{winners.Count} devices bound; answers: {string.Join(", ", logins.Select(l => $"{l.Status} {l.ErrorCode}").Distinct())}");
            Assert.All(logins.Where(l => l.Status != 200), l => Assert.Equal((401, "site_incorrect_hardware_id"), (l.Status, l.ErrorCode)));
            Assert.Equal(winners[0].HardwareId, (await central.Admin.GetSiteAsync(site.Id)).HardwareId);

            Assert.Equal(200, (await winners[0].PostAsync("/sync/v5/initialise", "{}")).Status);
            var before = await db.DigestAsync(["record", "sync_out", "site_snapshot", "push_buffer"]);
            foreach (var loser in losers.Take(10))
            {
                var answers = new[]
                {
                    await loser.GetAsync("/sync/v5/queued_records?limit=100"),
                    await loser.PostAsync("/sync/v5/acknowledged_records", """{"syncIDs":["q1","s1-1"]}"""),
                    await loser.PostAsync("/sync/v5/queued_records",
                        $$$"""{"queueLength":1,"data":[{"syncOutId":"1","tableName":"transact","recordId":"loser","action":"Update","recordData":{"ID":"loser","store_ID":"{{{store.Id}}}"}}]}"""),
                    await loser.PostAsync("/sync/v5/initialise", "{}"),
                };
                Assert.All(answers, a => Assert.Equal(401, a.Status));
            }
            Assert.Equal(before, await db.DigestAsync(["record", "sync_out", "site_snapshot", "push_buffer"]));
            Assert.Equal(30, (await winners[0].PullQueueAsync(acknowledge: false)).Count);

            await central.Admin.Http.PostAsync($"api/sites/{site.Id}/reset-hardware-id", null, Ct);
            var second = await Task.WhenAll(losers.Take(10).Select(d => d.GetAsync("/sync/v5/site")));
            var old = await winners[0].GetAsync("/sync/v5/site");
            Assert.Equal(1, second.Count(a => a.Status == 200));
            Assert.Equal((401, "site_incorrect_hardware_id"), (old.Status, old.ErrorCode));
        }
        finally
        {
            devices.ForEach(d => d.Dispose());
        }
    }

    /// <summary>F9: the remote's clock 400 days behind, then 400 days ahead (Debian <c>faketime</c> on the <c>sitesync</c> process),
    /// and central restarted with its clock stepped an hour back: correctness never depends on a clock; nothing is lost,
    /// duplicated or skipped.</summary>
    [Theory, MemberData(nameof(Tier.SqliteFastBothLong), MemberType = typeof(Tier))]
    public async Task SkewedClocksOnTheRemoteAndOnCentralLoseNothing(Engine engine)
    {
        using var scratch = new Scratch();
        await using var central = await CentralProcess.StartAsync(engine);
        var db = new CentralDb(central.Database);
        await db.InstallApplyLogAsync();
        using var fleet = await Fleet.ProcessesAsync(central.Admin, central.BaseAddress, scratch, 1, requestSizeMax: 50);
        var member = fleet.Members[0];

        foreach (var skew in new[] { "-400d", "+400d" })
        {
            member.Cli.FakeTime = skew;
            await fleet.Workload.CentralItemsAsync(40);
            await fleet.PutTransactionsAsync(member, 60);
            var results = await member.Cli.SyncToQuiescenceAsync();
            output.WriteLine($"remote at {skew}: {results.Count} cycles");
        }
        member.Cli.FakeTime = null;
        await central.KillAsync();
        central.FakeTime = "-1h";
        await central.RestartAsync();
        await fleet.Workload.CentralItemsAsync(40);
        await fleet.PutTransactionsAsync(member, 60);
        await member.Cli.SyncToQuiescenceAsync();
        var check = await Checker.CheckAsync(fleet.History, db, fleet.Nodes);

        Assert.True(check.Valid, check.ToString());
        Assert.Equal(300, check.Acknowledged);
    }

    /// <summary>F10 on central (SQLite): the database fills up (<c>PRAGMA max_page_count</c> through the fail-point value
    /// <c>sqlite.max_page_count</c>) in the middle of a 2,000-record push. No batch that did not commit is answered 2xx, a full
    /// disk is answered 503 or 507 (never a bare 500), and once there is room again everything arrives exactly once.</summary>
    [Fact]
    public async Task CentralsDiskFillingUpMidPushLosesNothingAndSaysStorageFull()
    {
        using var scratch = new Scratch();
        await using var central = await CentralProcess.StartAsync(Engine.Sqlite);
        var db = new CentralDb(central.Database);
        await db.InstallApplyLogAsync();
        using var fleet = await Fleet.InProcessAsync(central.Admin, central.BaseAddress, scratch, 1);
        var member = fleet.Members[0];
        await member.InProcess.Site.SetConfigAsync("request-size-max", "100", null, Ct);
        var pages = await db.CountAsync("PRAGMA page_count");
        await fleet.PutTransactionsAsync(member, 2_000);

        await central.KillAsync();
        await central.RestartAsync($"sqlite.max_page_count=value:{pages + 150}");
        var (_, full) = await member.InProcess.TrySyncAsync();
        var fullAnswer = full as SyncApiException;
        var pushedWhileFull = await db.CountAsync("SELECT COUNT(*) FROM record WHERE table_name = 'transact'");
        await central.KillAsync();
        await central.RestartAsync();
        await member.InProcess.SyncToQuiescenceAsync();
        var check = await Checker.CheckAsync(fleet.History, db, fleet.Nodes);
        output.WriteLine($"disk full after {pushedWhileFull} records; answer {(int?)fullAnswer?.StatusCode} {fullAnswer?.ErrorCode}; {check.Summary}");

        Assert.True(check.Valid, check.ToString());
        Assert.Equal("ok", (string?)await db.ScalarAsync("PRAGMA integrity_check"));
        Assert.NotNull(full);
        Assert.True(fullAnswer?.StatusCode is System.Net.HttpStatusCode.ServiceUnavailable or System.Net.HttpStatusCode.InsufficientStorage,
            $"a full disk was answered {(int?)fullAnswer?.StatusCode} {fullAnswer?.ErrorCode} ({full?.GetType().Name}: {full?.Message})");
    }

    /// <summary>F10 on the remote: its database fills up while it pulls 3,000 items; nothing partial is kept or acknowledged, and
    /// the next sync with room again integrates every item exactly once.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task ARemoteDiskFillingUpMidPullLosesNothing(Engine engine)
    {
        using var scratch = new Scratch();
        await using var central = await TestCentral.StartAsync(engine);
        var db = new CentralDb(central.Database);
        await db.InstallApplyLogAsync();
        using var fleet = await Fleet.ProcessesAsync(central.Admin, central.BaseAddress, scratch, 1);
        var member = fleet.Members[0];
        await fleet.Workload.CentralItemsAsync(3_000);
        var joins = await fleet.Workload.StoreJoinsAsync(member.SiteName, member.StoreId, 500);
        var pages = await RemoteDb.ScalarAsync(member.Node.DatabasePath, "PRAGMA page_count");

        var full = await member.Cli.SyncAsync($"sqlite.max_page_count=value:{pages + 60}");
        await member.Cli.SyncToQuiescenceAsync();
        var check = await Checker.CheckAsync(fleet.History, db, fleet.Nodes);

        Assert.False(full.Ok, "the sync with a full disk succeeded: " + full);
        Assert.Contains("full", full.Out + full.Error, StringComparison.OrdinalIgnoreCase);
        Assert.True(check.Valid, check.ToString());
        Assert.Equal(OpType.Ok, joins.Outcome);
        Assert.Equal("ok", await RemoteDb.TextAsync(member.Node.DatabasePath, "PRAGMA integrity_check"));
    }

    /// <summary>F11, long tier: the lock outlasts SQLite's 30-s busy timeout. The push is answered 503 with <c>Retry-After</c>
    /// (never a 500, never a partial write), and succeeds once the lock is gone.</summary>
    [Fact, Trait(Tier.Trait, Tier.LongTier)]
    public async Task ADatabaseLockedLongerThanTheBusyTimeoutIsAnswered503AndRecovers()
    {
        using var scratch = new Scratch();
        await using var central = await TestCentral.StartAsync(Engine.Sqlite);
        var db = new CentralDb(central.Database);
        await db.InstallApplyLogAsync();
        using var fleet = await Fleet.InProcessAsync(central.Admin, central.BaseAddress, scratch, 1, requestTimeout: TimeSpan.FromMinutes(2));
        await fleet.PutTransactionsAsync(fleet.Members[0], 100);

        await using var locker = await db.OpenAsync();
        await using var transaction = await locker.BeginTransactionAsync(Ct);
        await using (var take = locker.CreateCommand())
        {
            take.Transaction = transaction;
            take.CommandText = "INSERT INTO counter (name, value) VALUES ('fault-lock', 0)";
            await take.ExecuteNonQueryAsync(Ct);
        }
        var sync = Task.Run(() => fleet.Members[0].InProcess.TrySyncAsync());
        await Task.Delay(TimeSpan.FromSeconds(40), Ct);
        await transaction.RollbackAsync(Ct);
        var (_, error) = await sync;
        await fleet.Members[0].InProcess.SyncToQuiescenceAsync();
        var check = await Checker.CheckAsync(fleet.History, db, fleet.Nodes);

        Assert.True(check.Valid, check.ToString());
        Assert.True(error is null || (error is SyncApiException { StatusCode: System.Net.HttpStatusCode.ServiceUnavailable }),
            $"a database locked past the busy timeout was answered {error?.GetType().Name}: {error?.Message}");
    }

    /// <summary>F11: another connection holds the database exclusively for <paramref name="seconds"/> s while two remotes push
    /// 300 records each: every push waits and succeeds (SQLite's busy timeout, PostgreSQL's lock wait), nothing is lost, and no
    /// request takes much longer than the lock.</summary>
    [Theory]
    [InlineData(Engine.Sqlite, 2)]
    [InlineData(Engine.Postgres, 2)]
    public async Task ADatabaseLockedForAWhileDelaysPushesButLosesNothing(Engine engine, int seconds)
    {
        using var scratch = new Scratch();
        await using var central = await TestCentral.StartAsync(engine);
        var db = new CentralDb(central.Database);
        await db.InstallApplyLogAsync();
        using var fleet = await Fleet.InProcessAsync(central.Admin, central.BaseAddress, scratch, 2);
        foreach (var member in fleet.Members)
        {
            await fleet.PutTransactionsAsync(member, 300);
        }

        await using var locker = await db.OpenAsync();
        await using var transaction = await locker.BeginTransactionAsync(Ct);
        await using (var take = locker.CreateCommand())
        {
            take.Transaction = transaction;
            take.CommandText = engine == Engine.Sqlite
                ? "INSERT INTO counter (name, value) VALUES ('fault-lock', 0)" // SQLite: the write lock until commit (BEGIN IMMEDIATE-like)
                : "LOCK TABLE record, push_buffer, counter IN EXCLUSIVE MODE";
            await take.ExecuteNonQueryAsync(Ct);
        }
        var watch = Stopwatch.StartNew();
        var syncs = fleet.Members.Select(m => Task.Run(() => m.InProcess.TrySyncAsync())).ToList();
        await Task.Delay(TimeSpan.FromSeconds(seconds), Ct);
        await transaction.RollbackAsync(Ct);
        var results = await Task.WhenAll(syncs);
        var elapsed = watch.Elapsed;
        foreach (var member in fleet.Members)
        {
            await member.InProcess.SyncToQuiescenceAsync();
        }
        var check = await Checker.CheckAsync(fleet.History, db, fleet.Nodes);
        output.WriteLine($"{engine}: lock {seconds} s, syncs done after {elapsed.TotalSeconds:0.0} s; {check.Summary}");

        Assert.All(results, r => Assert.True(r.Error is null, r.Error?.ToString()));
        Assert.True(check.Valid, check.ToString());
        Assert.True(elapsed < TimeSpan.FromSeconds(seconds + 15), $"syncs took {elapsed}");
    }
}
