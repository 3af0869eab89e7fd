using Microsoft.EntityFrameworkCore;
using SiteSync.Central.Sync;
using SiteSync.Protocol.Sync;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Sync;

/// <summary>One bad record must not stop central (issue 8): a record central cannot store or read back is refused on its own
/// when it is pushed, the rest of its batch is integrated, and no stored record can stop central from starting.</summary>
public sealed class PoisonRecordTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Escaped in the JSON text, so each is valid JSON: a lone surrogate, a lone low surrogate, and NUL.</summary>
    public static TheoryData<Engine, string> PoisonedPushes()
    {
        var data = new TheoryData<Engine, string>();
        foreach (var engine in new[] { Engine.Sqlite, Engine.Postgres })
        {
            data.Add(engine, """{"tableName":"transact","recordId":"poison-1","action":"Update","recordData":{"ID":"poison-1","store_ID":"\ud800x"}}""");
            data.Add(engine, """{"tableName":"transact","recordId":"poison-1","action":"Update","recordData":{"ID":"poison-1","store_ID":"STORE","comment":"\udc00"}}""");
            data.Add(engine, """{"tableName":"trans_line","recordId":"poison-1","action":"Update","recordData":{"ID":"poison-1","transaction_ID":"\u0000p"}}""");
            data.Add(engine, """{"tableName":"transact","recordId":"poison-1","action":"Update","recordData":{"ID":"poison-1","store_ID":"STORE","\u0000":1}}""");
        }
        return data;
    }

    [Theory, MemberData(nameof(PoisonedPushes))]
    public async Task ARecordCentralCannotStoreIsRejectedAtPushAndTheRestOfItsBatchIsIntegrated(Engine engine, string poison)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var client = SyncScenario.Client(central, "clinic");
        await client.SyncAsync();
        var good = $$"""{"tableName":"transact","recordId":"good-1","action":"Update","recordData":{{SyncScenario.Transaction("good-1", store.Id).ToJsonString()}}}""";

        var batch = await client.PostAsync("/sync/v5/queued_records", $$"""{"queueLength":2,"data":[{{poison.Replace("STORE", store.Id, StringComparison.Ordinal)}},{{good}}]}""");
        var final = await client.PostAsync("/sync/v5/queued_records", """{"queueLength":0,"data":[]}""");
        var status = await client.GetAsync("/sync/v5/site_status");

        Assert.Equal((200, 200), (batch.Status, final.Status));
        Assert.True(final.Json.GetProperty("integrationStarted").GetBoolean());
        Assert.Equal("idle", status.Json.GetProperty("code").GetString());
        Assert.NotNull(await central.Admin.GetRecordAsync("transact", "good-1"));
        Assert.False(await central.QueryAsync(db => db.Records.AnyAsync(r => r.RecordId == "poison-1", Ct)));
        Assert.False(await central.QueryAsync(db => db.PushBuffer.AnyAsync(Ct)));
        Assert.Contains(await central.Admin.LogsAsync(site.Id),
            l => l.Event == "record_rejected" && l.Message.Contains("'poison-1'", StringComparison.Ordinal) && l.Message.Contains("cannot be stored", StringComparison.Ordinal));
        // The site goes on syncing.
        client.Edit("transact", "good-2", SyncScenario.Transaction("good-2", store.Id));
        await client.SyncAsync();
        Assert.NotNull(await central.Admin.GetRecordAsync("transact", "good-2"));
    }

    /// <summary>A buffer written by an older version can hold what push now refuses; the start-up recovery must finish the
    /// interrupted integration without it, never crash on it, and leave the site idle.</summary>
    [Theory, ClassData(typeof(BothEngines))]
    public async Task StartUpFinishesAnInterruptedIntegrationWhoseBufferHoldsAPoisonedRecord(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        await central.QueryAsync(async db =>
        {
            db.PushBuffer.AddRange(
                Buffered(site.Id, "transact", "poison-1", """{"ID":"poison-1","store_ID":"\ud800x"}""", 1),
                Buffered(site.Id, "trans_line", "poison-2", """{"ID":"poison-2","transaction_ID":"\u0000p"}""", 2),
                Buffered(site.Id, "transact", "good-1", SyncScenario.Transaction("good-1", store.Id).ToJsonString(), 3));
            await db.Sites.Where(s => s.Id == site.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.IntegrationStatus, SiteStatusCodes.IntegrationInProgress), Ct);
            return await db.SaveChangesAsync(Ct);
        });

        // A second node starting on the same database runs the start-up recovery, as a restarted central would.
        var restarted = central.StartNode();
        using var http = restarted.CreateHttpClient("admin", CentralFactory.AdminPassword);
        var health = await http.GetAsync("api/sites", Ct);
        await WaitUntilAsync(() => central.QueryAsync(db => db.Sites.AnyAsync(s => s.Id == site.Id && s.IntegrationStatus == SiteStatusCodes.Idle, Ct)));

        Assert.Equal(200, (int)health.StatusCode);
        Assert.NotNull(await central.Admin.GetRecordAsync("transact", "good-1"));
        Assert.False(await central.QueryAsync(db => db.Records.AnyAsync(r => r.RecordId.StartsWith("poison"), Ct)));
        var rejected = (await central.Admin.LogsAsync(site.Id)).Where(l => l.Event == "record_rejected").Select(l => l.Message).ToList();
        Assert.Contains(rejected, m => m.Contains("'poison-1'", StringComparison.Ordinal));
        Assert.Contains(rejected, m => m.Contains("'poison-2'", StringComparison.Ordinal));
    }

    private static PushBufferEntity Buffered(int siteId, string table, string id, string data, long seq) => new()
    {
        SiteId = siteId, TableName = table, RecordId = id, Action = SyncActions.Update, Data = data, ReceivedSeq = seq, ReceivedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>The recovery runs in the background after start; polls the database until it is done (at most 30 s).</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
