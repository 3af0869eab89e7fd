using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SiteSync.Protocol.Admin;
using SiteSync.Protocol.Json;
using SiteSync.Protocol.Sync;
using SiteSync.Remote;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Remote;

/// <summary>The integrity audit (issue 8): the real remote's <c>VerifyAsync</c> against the real central, on both engines; drift
/// is made the way it happens in the field, by changing either database behind the sync's back.</summary>
public sealed class IntegrityAuditTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ASyncedRemoteMatchesCentral(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await using var remote = await SyncedRemoteAsync(central);

        var result = await remote.Site.VerifyAsync(Ct);

        Assert.True(result.Matches, string.Join("; ", result.Groups.Where(g => !g.Matches)));
        Assert.Equal(0, result.DifferenceCount);
        Assert.True(result.IsSettled);
        Assert.Contains(result.Groups, g => g is { TableName: "item", StoreId: null, SiteCount: 5, CentralCount: 5 });
        Assert.Contains(result.Groups, g => g.TableName == "transact" && g.StoreId == remote.StoreId && g is { SiteCount: 2, CentralCount: 2 });
        Assert.Contains(result.Groups, g => g.TableName == "trans_line" && g.StoreId == remote.StoreId && g is { SiteCount: 1, CentralCount: 1 });
        var audit = await IntegrityOfAsync(central, remote.SiteId);
        Assert.Equal(IntegrityStatuses.Matches, audit.Status);
        Assert.Equal(result.RecordsChecked, audit.SiteRecords);
        Assert.Equal(0, audit.DifferenceCount);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task VerifyNamesExactlyTheRecordsThatDifferAndCentralKeepsThem(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await using var remote = await SyncedRemoteAsync(central);
        await remote.ExecuteAsync(
            "UPDATE records SET data = replace(data, 'Item 1', 'Item one') WHERE table_name = 'item' AND record_id = 'item-000001'");
        await remote.ExecuteAsync("DELETE FROM records WHERE table_name = 'transact' AND record_id = 't-2'");
        await remote.ExecuteAsync(
            $$"""INSERT INTO records (table_name, record_id, data, store_id) VALUES ('transact', 't-unexpected', '{"ID":"t-unexpected","store_ID":"{{remote.StoreId}}"}', '{{remote.StoreId}}')""");
        await central.QueryAsync(db => db.Records.Where(r => r.TableName == "item" && r.RecordId == "item-000003")
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Data, r => r.Data!.Replace("Item 3", "Item three")), Ct));

        var result = await remote.Site.VerifyAsync(Ct);

        (string, string?, string, string)[] expected =
        [
            ("item", null, "item-000001", IntegrityDifferenceKinds.DifferentContent),
            ("item", null, "item-000003", IntegrityDifferenceKinds.DifferentContent),
            ("transact", remote.StoreId, "t-2", IntegrityDifferenceKinds.MissingAtSite),
            ("transact", remote.StoreId, "t-unexpected", IntegrityDifferenceKinds.MissingAtCentral),
        ];
        Assert.False(result.Matches);
        Assert.Equal(4, result.DifferenceCount);
        Assert.Equal(expected, Sorted(result.Differences));
        (string, string?)[] differingGroups = [("item", null), ("transact", remote.StoreId)];
        Assert.Equal(differingGroups, result.Groups.Where(g => !g.Matches).Select(g => (g.TableName, g.StoreId)).Order());
        var audit = await IntegrityOfAsync(central, remote.SiteId);
        Assert.Equal(IntegrityStatuses.Differs, audit.Status);
        Assert.Equal(4, audit.DifferenceCount);
        Assert.Equal(expected, Sorted(audit.Differences));
        (string, string?, long, long)[] groupCounts = [("item", null, 5, 5), ("transact", remote.StoreId, 2, 2)];
        Assert.Equal(groupCounts, audit.DifferingGroups.Select(g => (g.TableName, g.StoreId, g.SiteCount, g.CentralCount)).Order());
        Assert.Contains(await central.Admin.LogsAsync(remote.SiteId), l => l.Event == "integrity_checked" && l.Message.Contains("t-unexpected", StringComparison.Ordinal));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task VerifyPagesThroughAGroupLargerThanOnePage(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        await using var remote = await SyncedRemoteAsync(central, items: IntegrityLimits.MaxRecordsPage + 200);
        await remote.ExecuteAsync("DELETE FROM records WHERE table_name = 'item' AND record_id = 'item-000002'");
        await central.QueryAsync(db => db.Records.Where(r => r.TableName == "item" && r.RecordId == "item-005150")
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Data, r => r.Data!.Replace("Item 5150", "Item 5150b")), Ct));

        var result = await remote.Site.VerifyAsync(Ct);

        (string, string?, string, string)[] expected =
        [
            ("item", null, "item-000002", IntegrityDifferenceKinds.MissingAtSite),
            ("item", null, "item-005150", IntegrityDifferenceKinds.DifferentContent),
        ];
        Assert.Equal(expected, Sorted(result.Differences));
        Assert.Contains(result.Groups, g => g is { TableName: "item", Matches: false, SiteCount: 5199, CentralCount: 5200 });
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task ASiteCannotAuditAnotherSitesStores(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, siteA) = await SyncScenario.SiteWithStoreAsync(central, "site-a", "SA");
        var (storeB, _) = await SyncScenario.SiteWithStoreAsync(central, "site-b", "SB");
        await central.Admin.UpsertRecordsAsync($$"""{"item_store_join":[{"ID":"isj-b","store_ID":"{{storeB.Id}}","item_ID":"i"}]}""");
        using var client = SyncScenario.Client(central, "site-a");

        var digests = await client.PostAsync(SyncRoutes.Integrity,
            $$"""{"pendingPush":0,"centralCursor":0,"groups":[{"tableName":"item_store_join","storeId":"{{storeB.Id}}","count":0,"digest":"0000000000000000"}]}""");
        var records = await client.PostAsync(SyncRoutes.IntegrityRecords, $$"""{"tableName":"item_store_join","storeId":"{{storeB.Id}}","after":null,"limit":10}""");
        var report = await client.PostAsync(SyncRoutes.IntegrityReport,
            $$"""{"auditId":"{{Guid.NewGuid()}}","differenceCount":1,"differences":[{"tableName":"item_store_join","storeId":"{{storeB.Id}}","recordId":"isj-b","kind":"missingAtSite"}]}""");

        foreach (var response in new[] { digests, records, report })
        {
            Assert.Equal(403, response.Status);
            Assert.Equal(SyncErrorCodes.StoreNotActiveOnSite, response.Json.GetProperty("error").GetProperty("code").GetString());
            Assert.DoesNotContain("isj-b", response.Body, StringComparison.Ordinal);
        }
        Assert.Equal(IntegrityStatuses.Never, (await IntegrityOfAsync(central, siteA.Id)).Status);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task BadInputToTheIntegrityEndpointsIsRefusedWithAReasonAndWritesNothing(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "site-a", "SA");
        using var client = SyncScenario.Client(central, "site-a");
        const string Zero = "0000000000000000";
        string Group(string table, string? storeId, string count = "1", string digest = Zero) =>
            $$"""{"tableName":{{JsonSerializer.Serialize(table)}},"storeId":{{(storeId is null ? "null" : JsonSerializer.Serialize(storeId))}},"count":{{count}},"digest":"{{digest}}"}""";
        string Groups(params string[] groups) => $$"""{"pendingPush":0,"centralCursor":0,"groups":[{{string.Join(",", groups)}}]}""";
        string Difference(string recordId, string kind = "missingAtSite") =>
            $$"""{"tableName":"transact","storeId":"{{store.Id}}","recordId":{{recordId}},"kind":"{{kind}}"}""";
        string Report(string auditId, int count, params string[] differences) =>
            $$"""{"auditId":"{{auditId}}","differenceCount":{{count}},"differences":[{{string.Join(",", differences)}}]}""";
        var audit = Guid.NewGuid().ToString();
        (string Path, string Body, int Status)[] cases =
        [
            (SyncRoutes.Integrity, "", 400),
            (SyncRoutes.Integrity, "not json", 400),
            (SyncRoutes.Integrity, "[]", 400),
            (SyncRoutes.Integrity, "{}", 400),
            (SyncRoutes.Integrity, """{"groups":[],"groups":[]}""", 400),
            (SyncRoutes.Integrity, """{"pendingPush":-1,"centralCursor":0,"groups":[]}""", 400),
            (SyncRoutes.Integrity, """{"pendingPush":0,"centralCursor":0,"groups":[null]}""", 400),
            (SyncRoutes.Integrity, Groups(Group("sqlite_master", null)), 400),
            (SyncRoutes.Integrity, Groups(Group("../record", null)), 400),
            (SyncRoutes.Integrity, Groups("""{"tableName":"\ud800","storeId":null,"count":1,"digest":"0000000000000000"}"""), 400),
            (SyncRoutes.Integrity, Groups(Group("item", store.Id)), 400),
            (SyncRoutes.Integrity, Groups(Group("transact", null)), 400),
            (SyncRoutes.Integrity, Groups(Group("transact", new string('s', 201))), 400),
            (SyncRoutes.Integrity, Groups(Group("item", null, count: "-1")), 400),
            (SyncRoutes.Integrity, Groups(Group("item", null, count: "\"many\"")), 400),
            (SyncRoutes.Integrity, Groups(Group("item", null, count: "1e30")), 400),
            (SyncRoutes.Integrity, Groups(Group("item", null, count: "99999999999999999999999")), 400),
            (SyncRoutes.Integrity, Groups(Group("item", null, count: "9000000000000000000"), Group("unit", null, count: "9000000000000000000")), 400),
            (SyncRoutes.Integrity, Groups(Group("item", null, digest: "xyz")), 400),
            (SyncRoutes.Integrity, Groups(Group("item", null, digest: "ABCDEF0000000000")), 400),
            (SyncRoutes.Integrity, Groups(Group("item", null, digest: Zero + "0")), 400),
            (SyncRoutes.Integrity, Groups(Group("item", null), Group("item", null)), 400),
            (SyncRoutes.Integrity, Groups(Enumerable.Range(0, IntegrityLimits.MaxGroups + 1).Select(i => Group("transact", $"s{i}")).ToArray()), 400),
            (SyncRoutes.Integrity, Groups("""{"tableName":"transact","storeId":"\u0000x","count":1,"digest":"0000000000000000"}"""), 403),
            (SyncRoutes.Integrity, Groups("""{"tableName":"transact","storeId":"\udc00","count":1,"digest":"0000000000000000"}"""), 400),
            (SyncRoutes.IntegrityRecords, "{}", 400),
            (SyncRoutes.IntegrityRecords, """{"tableName":"nope","storeId":null,"after":null,"limit":5}""", 400),
            (SyncRoutes.IntegrityRecords, """{"tableName":"item","storeId":null,"after":null,"limit":0}""", 400),
            (SyncRoutes.IntegrityRecords, """{"tableName":"item","storeId":null,"after":null,"limit":-5}""", 400),
            (SyncRoutes.IntegrityRecords, """{"tableName":"item","storeId":null,"after":"\u0000","limit":5}""", 400),
            (SyncRoutes.IntegrityRecords, """{"tableName":"item","storeId":null,"after":"\ud800","limit":5}""", 400),
            (SyncRoutes.IntegrityRecords, $$"""{"tableName":"item","storeId":null,"after":"{{new string('a', 201)}}","limit":5}""", 400),
            (SyncRoutes.IntegrityRecords, """{"tableName":"transact","storeId":null,"after":null,"limit":5}""", 400),
            (SyncRoutes.IntegrityReport, "{}", 400),
            (SyncRoutes.IntegrityReport, Report("not-a-guid", 0), 400),
            (SyncRoutes.IntegrityReport, Report(audit, -1), 400),
            (SyncRoutes.IntegrityReport, Report(audit, 0, Difference("\"t-1\"")), 400),
            (SyncRoutes.IntegrityReport, Report(audit, 1, Difference("\"t-1\"", kind: "gone")), 400),
            (SyncRoutes.IntegrityReport, Report(audit, 1, Difference("\"t\\u00001\"")), 400),
            (SyncRoutes.IntegrityReport, Report(audit, 1, Difference("\"t\\ud8001\"")), 400),
            (SyncRoutes.IntegrityReport, Report(audit, 1, Difference("null")), 400),
            (SyncRoutes.IntegrityReport, Report(audit, 101, Enumerable.Range(0, 101).Select(i => Difference($"\"t-{i}\"")).ToArray()), 400),
            (SyncRoutes.IntegrityReport, Report(audit, 1, Difference("\"t-1\"")), 409),
        ];

        var linesBefore = central.Factory.Logs.Lines.Count;
        var failures = new List<string>();
        foreach (var (path, body, status) in cases)
        {
            var response = await client.PostAsync(path, body);
            string? code = null, message = null;
            try
            {
                var error = response.Json.GetProperty("error");
                (code, message) = (error.GetProperty("code").GetString(), error.GetProperty("message").GetString());
            }
            catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // Reported below: the answer is not the error envelope.
            }
            if (response.Status != status || string.IsNullOrEmpty(code) || string.IsNullOrWhiteSpace(message))
            {
                failures.Add($"{path} {Shorten(body)} → {response.Status} {Shorten(response.Body)} (expected {status} with a code and a reason)");
            }
        }
        var afterwards = await IntegrityOfAsync(central, site.Id);
        var log = await central.Admin.LogsAsync(site.Id);
        var valid = await client.PostAsync(SyncRoutes.Integrity, Groups());

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(IntegrityStatuses.Never, afterwards.Status);
        Assert.DoesNotContain(log, l => l.Event == "integrity_checked");
        Assert.Equal(200, valid.Status);
        Assert.DoesNotContain(central.Factory.Logs.Lines.Skip(linesBefore), l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task TheAdminApiAnswersNeverForASiteNotYetAuditedAnd404ForNoSite(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "site-a", "SA");

        var audit = await IntegrityOfAsync(central, site.Id);
        using var missing = await central.Admin.Http.GetAsync("api/sites/999/integrity", Ct);

        Assert.Equal(IntegrityStatuses.Never, audit.Status);
        Assert.Null(audit.CheckedAt);
        Assert.Equal(404, (int)missing.StatusCode);
    }

    [Theory, ClassData(typeof(BothEngines))]
    public async Task DeletingASiteDeletesItsAudit(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (_, site) = await SyncScenario.SiteWithStoreAsync(central, "site-a", "SA");
        using var client = SyncScenario.Client(central, "site-a");
        Assert.Equal(200, (await client.PostAsync(SyncRoutes.Integrity, """{"pendingPush":0,"centralCursor":0,"groups":[]}""")).Status);
        await central.Admin.UpdateSiteAsync(site.Id, AdminClient.EditOf(site) with { StoreIds = [] });

        using var deleted = await central.Admin.Http.DeleteAsync($"api/sites/{site.Id}", Ct);

        Assert.Equal(204, (int)deleted.StatusCode);
        Assert.False(await central.QueryAsync(db => db.Set<SiteSync.Central.Integrity.IntegrityAuditEntity>().AnyAsync(Ct)));
    }

    private static IEnumerable<(string, string?, string, string)> Sorted(IEnumerable<IntegrityDifference> differences) =>
        differences.Select(d => (d.TableName, d.StoreId, d.RecordId, d.Kind)).Order();

    private static string Shorten(string text) => text.Length > 120 ? text[..120] + "…" : text;

    private static async Task<SiteIntegrity> IntegrityOfAsync(TestCentral central, int siteId) =>
        (await central.Admin.Http.GetFromJsonAsync($"api/sites/{siteId}/integrity", SiteSyncJsonContext.Default.SiteIntegrity, Ct))!;

    /// <summary>A site with a store, <paramref name="items"/> items on central, and a remote that has synced them and pushed two transactions
    /// (one with a line) of its own.</summary>
    private static async Task<TestRemote> SyncedRemoteAsync(TestCentral central, int items = 5)
    {
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "site-a", "SA");
        await SyncScenario.AddItemsAsync(central, items);
        var remote = new TestRemote(store.Id, site.Id);
        await remote.Site.InitAsync(new RemoteSetup(central.BaseAddress, "site-a", SyncScenario.SitePassword), Ct);
        await remote.Site.SyncAsync(null, Ct);
        await remote.Site.PutRecordsAsync("transact", $"[{SyncScenario.Transaction("t-1", store.Id)},{SyncScenario.Transaction("t-2", store.Id)}]", Ct);
        await remote.Site.PutRecordsAsync("trans_line", SyncScenario.Line("l-1", "t-1").ToJsonString(), Ct);
        await remote.Site.SyncAsync(null, Ct);
        await remote.Site.SyncAsync(null, Ct);
        return remote;
    }

    private sealed class TestRemote : IAsyncDisposable
    {
        private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "sitesync-it-remote", Guid.NewGuid().ToString("N"));

        public TestRemote(string storeId, int siteId)
        {
            StoreId = storeId;
            SiteId = siteId;
            Site = new RemoteSite(_http, new RemoteSiteOptions { DataDirectory = _directory, HardwareId = "hw-integrity" });
        }

        public RemoteSite Site { get; }
        public string StoreId { get; }
        public int SiteId { get; }

        /// <summary>Changes the remote's SQLite behind the engine's back, as a faulty disk, a script or a support session would.</summary>
        public async Task ExecuteAsync(string sql)
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(_directory, "sitesync-remote.db"),
                Pooling = false,
            }.ToString());
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
        }

        public ValueTask DisposeAsync()
        {
            _http.Dispose();
            RemoteSiteTests.Delete(_directory);
            return ValueTask.CompletedTask;
        }
    }
}
