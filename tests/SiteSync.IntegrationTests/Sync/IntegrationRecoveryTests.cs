using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SiteSync.Testing;

namespace SiteSync.IntegrationTests.Sync;

/// <summary>Reference §2.4 and the reliability plan: while central integrates a push, <c>site_status</c> says
/// <c>integration_in_progress</c>; an integration a crash interrupted is finished when central starts again, so the site's
/// status returns to idle and nothing it pushed is lost.</summary>
public sealed class IntegrationRecoveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, ClassData(typeof(BothEngines))]
    public async Task AnIntegrationInterruptedByACrashIsReportedInProgressThenFinishedAtTheNextStart(Engine engine)
    {
        await using var central = await TestCentral.StartAsync(engine);
        var (store, site) = await SyncScenario.SiteWithStoreAsync(central, "clinic", "S1");
        using var remote = SyncScenario.Client(central, "clinic");
        await remote.SyncAsync();
        var batch = new JsonArray([.. new[] { "t-1", "t-2" }.Select((id, i) => (JsonNode)new JsonObject
        {
            ["syncOutId"] = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["tableName"] = "transact",
            ["recordId"] = id,
            ["action"] = "Update",
            ["recordData"] = SyncScenario.Transaction(id, store.Id),
        })]);
        var buffered = await remote.PostAsync("/sync/v5/queued_records", new JsonObject { ["queueLength"] = 2, ["data"] = batch }.ToJsonString());
        // The crash: the final batch flipped the status and central died before the integration committed.
        await central.QueryAsync(db => db.Sites.Where(s => s.Id == site.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.IntegrationStatus, "integration_in_progress"), Ct));
        var whileInterrupted = await remote.GetAsync("/sync/v5/site_status");

        var restarted = central.StartNode();
        await RecoveryOf(restarted);
        var afterRestart = await remote.GetAsync("/sync/v5/site_status");

        Assert.Equal(200, buffered.Status);
        Assert.Equal("integration_in_progress", whileInterrupted.Json.GetProperty("code").GetString());
        Assert.Equal("idle", afterRestart.Json.GetProperty("code").GetString());
        Assert.Equal(["t-1", "t-2"], await central.QueryAsync(db => db.Records
            .Where(r => r.TableName == "transact" && r.SourceSiteId == site.Id).Select(r => r.RecordId).OrderBy(id => id).ToListAsync(Ct)));
        Assert.Equal(0, await central.QueryAsync(db => db.PushBuffer.CountAsync(Ct)));
        Assert.Contains(await central.Admin.LogsAsync(site.Id), e => e.Event == "integrated" && e.Message.StartsWith("Push integrated: 2 accepted", StringComparison.Ordinal));
    }

    /// <summary>The start-up recovery runs in the background: the test waits for that service's own task, not for a time.</summary>
    private static Task RecoveryOf(Testing.CentralFactory node) =>
        node.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Single(s => s.GetType().Name == "IntegrationRecovery").ExecuteTask!.WaitAsync(TimeSpan.FromMinutes(1), Ct);
}
