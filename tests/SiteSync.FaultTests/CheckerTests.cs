using SiteSync.FaultTests.Support;
using SiteSync.Testing;

namespace SiteSync.FaultTests;

/// <summary>The checker itself (reliability plan §1.3): a healthy run passes, and each anomaly it exists to find — a lost
/// record, a record applied twice, an unexpected record, a version regression, a skipped change-log row — is found when it
/// is made to happen for real in the databases (negative controls: proof that the fault tests can fail).</summary>
public sealed class CheckerTests
{
    private sealed class Run : IAsyncDisposable
    {
        public required TestCentral Central { get; init; }
        public required Scratch Scratch { get; init; }
        public required Fleet Fleet { get; init; }
        public CentralDb Db => new(Central.Database);

        public static async Task<Run> StartAsync(Engine engine)
        {
            var central = await TestCentral.StartAsync(engine);
            var scratch = new Scratch();
            await new CentralDb(central.Database).InstallApplyLogAsync();
            var fleet = await Fleet.InProcessAsync(central.Admin, central.BaseAddress, scratch, 2);
            await fleet.Workload.CentralItemsAsync(30);
            foreach (var member in fleet.Members)
            {
                await fleet.PutTransactionsAsync(member, 20);
            }
            foreach (var member in fleet.Members)
            {
                await member.InProcess.SyncToQuiescenceAsync();
            }
            return new Run { Central = central, Scratch = scratch, Fleet = fleet };
        }

        public Task<CheckResult> CheckAsync() => Checker.CheckAsync(Fleet.History, Db, Fleet.Nodes);

        public async ValueTask DisposeAsync()
        {
            Fleet.Dispose();
            Scratch.Dispose();
            await Central.DisposeAsync();
        }
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AHealthyRunHasNothingLostDuplicatedUnexpectedOrSkipped(Engine engine)
    {
        await using var run = await Run.StartAsync(engine);

        var result = await run.CheckAsync();

        Assert.True(result.Valid, result.ToString());
        Assert.Equal((70, 70, 0), (result.Attempted, result.Acknowledged, result.Recovered));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ARecordMissingAtCentralIsLost(Engine engine)
    {
        await using var run = await Run.StartAsync(engine);
        var victim = run.Fleet.History.Ops.First(o => o.Table == "transact");
        await run.Db.ExecuteAsync($"DELETE FROM record WHERE record_id = '{victim.RecordId}'");

        var result = await run.CheckAsync();

        Assert.Equal([$"central transact {victim.RecordId}: missing (acknowledged version {victim.Version})"], result.Lost);
        Assert.False(result.Valid);
    }

    /// <summary>Every item version a remote holds written over again (as a remote that re-applied a re-pulled page would): each
    /// took effect twice there, and the checker says so. (A cursor set back to 0 no longer does it: the remote skips copies
    /// identical to the ones it holds.)</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task ARecordAppliedTwiceIsDuplicated(Engine engine)
    {
        await using var run = await Run.StartAsync(engine);
        var member = run.Fleet.Members[0];
        await RemoteDb.ExecuteAsync(member.Node.DatabasePath, "UPDATE records SET data = data || ' ' WHERE table_name = 'item'");

        var result = await run.CheckAsync();

        Assert.Equal(30, result.Duplicated.Count);
        Assert.All(result.Duplicated, d => Assert.StartsWith($"remote:{member.SiteName} item ", d, StringComparison.Ordinal));
        Assert.Empty(result.Lost);
        Assert.False(result.Valid);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ARecordNobodyWroteIsUnexpected(Engine engine)
    {
        await using var run = await Run.StartAsync(engine);
        await run.Central.Admin.UpsertRecordsAsync($$"""{"item":[{"ID":"{{run.Scratch.Prefix}}stray","code":"X","item_name":"stray","type_of":"general"}]}""");
        foreach (var member in run.Fleet.Members)
        {
            await member.InProcess.SyncToQuiescenceAsync();
        }

        var result = await run.CheckAsync();

        Assert.Equal(3, result.Unexpected.Count);
        Assert.All(result.Unexpected, u => Assert.Contains($"item {run.Scratch.Prefix}stray: never written", u, StringComparison.Ordinal));
    }

    /// <summary>An older version delivered after a newer one: the remote ends on a stale version and applied it twice.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task AnOlderVersionAppliedAfterANewerOneIsARegression(Engine engine)
    {
        await using var run = await Run.StartAsync(engine);
        var item = run.Fleet.History.Ops.First(o => o.Table == "item");
        var first = await RemoteDb.TextAsync(run.Fleet.Members[0].Node.DatabasePath,
            $"SELECT data FROM records WHERE table_name = 'item' AND record_id = '{item.RecordId}'");
        await run.Fleet.Workload.CentralItemsAsync(1, [item.RecordId]);
        await run.Fleet.Members[0].InProcess.SyncToQuiescenceAsync();
        await RemoteDb.ExecuteAsync(run.Fleet.Members[0].Node.DatabasePath,
            "INSERT INTO incoming (table_name, record_id, action, data, source) VALUES ('item', $id, 'Update', $data, 'queue')",
            ("$id", item.RecordId), ("$data", first));
        await run.Fleet.Members[0].InProcess.SyncAsync();
        await run.Fleet.Members[1].InProcess.SyncToQuiescenceAsync();

        var result = await run.CheckAsync();

        var remote = Checker.RemoteName(run.Fleet.Members[0].SiteName);
        Assert.Equal([$"{remote} item {item.RecordId}: {item.Version} applied after a newer version"], result.Regressed);
        Assert.Equal([$"{remote} item {item.RecordId}: version {item.Version} applied 2 times"], result.Duplicated);
        Assert.Single(result.Lost);
    }

    /// <summary>A remote whose cursor passed a change-log row it never stored: the row was skipped.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task AChangeLogRowBelowTheCursorThatNeverArrivedIsSkipped(Engine engine)
    {
        await using var run = await Run.StartAsync(engine);
        var item = run.Fleet.History.Ops.Last(o => o.Table == "item");
        await RemoteDb.ExecuteAsync(run.Fleet.Members[1].Node.DatabasePath, "DELETE FROM records WHERE record_id = $id", ("$id", item.RecordId));

        var result = await run.CheckAsync();

        Assert.Single(result.Skipped);
        Assert.Contains(item.RecordId, result.Skipped[0], StringComparison.Ordinal);
        Assert.Single(result.Lost);
    }

    [Fact]
    public void AnUnacknowledgedWriteThatArrivedIsRecoveredNotUnexpected()
    {
        var history = new History("p-");
        var ok = history.Invoke("a", "item", "p-1", new System.Text.Json.Nodes.JsonObject(), ["central"]);
        var info = history.Invoke("a", "item", "p-2", new System.Text.Json.Nodes.JsonObject(), ["central"]);
        var failed = history.Invoke("a", "item", "p-3", new System.Text.Json.Nodes.JsonObject(), ["central"]);
        History.Complete(ok, OpType.Ok);
        History.Complete(info, OpType.Info);
        History.Complete(failed, OpType.Fail);
        var central = new DestinationState("central",
            [new StoredRecord("item", "p-1", $"{{\"_v\":\"{ok.Version}\"}}", null), new StoredRecord("item", "p-2", $"{{\"_v\":\"{info.Version}\"}}", null)],
            [new AppliedRecord(1, "item", "p-1", ok.Version), new AppliedRecord(2, "item", "p-2", info.Version)]);

        var result = Checker.Check(history, [central], []);

        Assert.True(result.Valid, result.ToString());
        Assert.Equal((3, 1, 1), (result.Attempted, result.Acknowledged, result.Recovered));
    }
}
